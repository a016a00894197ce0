package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.ClusterObjects;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends requests back to back and never reads the answers fills the socket buffers,
 * and the gateway's write of the next answer blocks. The write deadline closes such a connection,
 * so it cannot hold its in-flight permit, and every other sender's, for ever.
 */
class ClientsThatNeverReadIT {

  private static final int PERMITS = 2;
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

  /** How long after a deadline the server has to close: the sweep interval plus scheduling. */
  private static final Duration SLACK = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    cluster.deploymentWithPod("demo", "ledger", Map.of());
    new ClusterObjects(cluster.client()).node("worker-9", Map.of());
    gateway =
        GatewayHarness.start(
            cluster,
            dir,
            """
            server:
              maxConcurrentRequests: %d
              writeTimeout: %ds
              k8sRequestTimeout: 4s
            """
                .formatted(PERMITS, WRITE_TIMEOUT.toSeconds()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void pipeliningClientsThatNeverReadLoseTheirConnectionsAndTheirPermitsReturn() throws Exception {
    List<Socket> pipeliners = new ArrayList<>();
    ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < PERMITS; i++) {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.app().apiPort()));
        pipeliners.add(socket);
        writers.submit(() -> pipelineWithoutReading(socket));
      }

      // The fault happened: both permits are held by answers nobody reads.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(wellBehavedPost().statusCode()).isEqualTo(503));
      assertThat(gateway.metrics().body())
          .containsPattern("gateway_http_requests_rejected_total\\{reason=\"overload\"} [1-9]");

      // Not read before the deadline has passed: reading would let the blocked writes go on.
      await()
          .atMost(WRITE_TIMEOUT.plus(SLACK))
          .untilAsserted(
              () ->
                  assertThat(gateway.metrics().body())
                      .containsPattern(
                          "gateway_http_slow_clients_total\\{phase=\"response\"} [2-9]"));
      for (Socket socket : pipeliners) {
        assertClosedWithin(socket, SLACK);
      }

      // Every permit is back: two requests held at the API server at the same time both pass.
      // The mock serves one request at a time, so the second waits out both delays.
      cluster.faults().delay("POST", "/apis/kubernaut.ai/", Duration.ofMillis(400), 2);
      CompletableFuture<HttpResponse<String>> first =
          CompletableFuture.supplyAsync(() -> wellBehavedPost("checkout"), writers);
      CompletableFuture<HttpResponse<String>> second =
          CompletableFuture.supplyAsync(() -> wellBehavedPost("ledger"), writers);
      assertThat(first.get().statusCode()).as(first.get().body()).isIn(201, 202);
      assertThat(second.get().statusCode()).as(second.get().body()).isIn(201, 202);
    } finally {
      for (Socket socket : pipeliners) {
        socket.close();
      }
      writers.shutdownNow();
    }
  }

  /**
   * Sends webhooks back to back until the gateway stops reading them or cuts us off. Each is
   * answered with a multi-status of a thousand refusals (an unmanaged node), so a few answers fill
   * the socket buffers.
   */
  private static Void pipelineWithoutReading(Socket socket) {
    String body = unmanagedNodeAlerts();
    byte[] request =
        ("POST "
                + AlertmanagerSource.PATH
                + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.US_ASCII);
    try {
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < 200; i++) {
        out.write(request);
      }
      out.flush();
    } catch (IOException e) {
      // cut off by the gateway
    }
    return null;
  }

  private static String unmanagedNodeAlerts() {
    StringBuilder alerts = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      alerts
          .append(i == 0 ? "" : ",")
          .append("{\"labels\":{\"alertname\":\"NodeAlert")
          .append(i)
          .append("\",\"node\":\"worker-9\"},\"startsAt\":\"")
          .append(Instant.now())
          .append("\"}");
    }
    return "{\"alerts\":[" + alerts + "]}";
  }

  private static HttpResponse<String> wellBehavedPost() {
    return wellBehavedPost("checkout");
  }

  private static HttpResponse<String> wellBehavedPost(String deployment) {
    return gateway.post(
        AlertmanagerSource.PATH,
        Fixtures.text("alertmanager/firing-pod.json").replace("checkout-", deployment + "-"));
  }

  /**
   * Reads until the server closes the connection; fails if it is still open after {@code bound}.
   */
  private static void assertClosedWithin(Socket socket, Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    socket.setSoTimeout((int) bound.toMillis());
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      while (in.read(buffer) >= 0) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the server still answered after " + bound);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for more than " + bound, e);
    } catch (SocketException e) {
      // reset by the server: closed
    }
  }
}
