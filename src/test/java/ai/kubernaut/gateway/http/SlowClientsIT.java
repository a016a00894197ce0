package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send too slowly lose their connection, and a flood of connections beyond the limit
 * leaves the listener serving.
 */
class SlowClientsIT {

  private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final int MAX_CONNECTIONS = 20;

  /** How long after a deadline the server has to close: the sweep interval plus scheduling. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    cluster.deploymentWithPod("demo", "ledger", Map.of());
    gateway =
        GatewayHarness.start(
            cluster,
            dir,
            """
            server:
              readHeaderTimeout: %dms
              readTimeout: %ds
              maxConnections: %d
            """
                .formatted(HEADER_TIMEOUT.toMillis(), READ_TIMEOUT.toSeconds(), MAX_CONNECTIONS));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws IOException {
    try (Socket socket = connect()) {
      assertClosedWithin(socket, HEADER_TIMEOUT.plus(SLACK));
    }
  }

  @Test
  void aClientStallingInTheRequestLineIsCutOff() throws IOException {
    try (Socket socket = connect()) {
      send(socket, "POST /api/v1/sig");

      assertClosedWithin(socket, HEADER_TIMEOUT.plus(SLACK));
    }
  }

  @Test
  void aClientStallingInTheHeadersIsCutOff() throws IOException {
    try (Socket socket = connect()) {
      send(socket, "POST " + AlertmanagerSource.PATH + " HTTP/1.1\r\nHost: gateway\r\nContent-");

      assertClosedWithin(socket, HEADER_TIMEOUT.plus(SLACK));
    }
    assertThat(gateway.metrics().body())
        .contains("gateway_http_slow_clients_total{phase=\"headers\"}");
  }

  @Test
  void aClientStallingInTheBodyIsCutOffAfterTheReadTimeout() throws IOException {
    try (Socket socket = connect()) {
      send(
          socket,
          "POST "
              + AlertmanagerSource.PATH
              + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100\r\n\r\n{\"alerts\":");

      assertClosedWithin(socket, READ_TIMEOUT.plus(SLACK));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(gateway.metrics().body())
                    .containsPattern("gateway_http_slow_clients_total\\{phase=\"body\"} [1-9]"));
  }

  @Test
  void processingLongerThanTheReadTimeoutIsNotCutOff() {
    cluster.faults().delay("POST", "/apis/kubernaut.ai/", READ_TIMEOUT.plusMillis(800), 1);
    String ledgerAlert =
        Fixtures.text("alertmanager/firing-pod.json").replace("checkout-", "ledger-");

    long started = System.nanoTime();
    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, ledgerAlert);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(READ_TIMEOUT);
  }

  @Test
  void floodBeyondTheConnectionLimitLeavesTheListenerServing() throws IOException {
    List<Socket> flood = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS * 5; i++) {
        flood.add(connect());
      }
      // Silent connections are cut at the header timeout, so a real sender gets through even
      // while the flood stays connected.
      HttpResponse<String> during =
          gateway.send(
              HttpRequest.newBuilder(gateway.api(AlertmanagerSource.PATH))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          Fixtures.bytes("alertmanager/firing-pod.json")))
                  .build());
      assertThat(during.statusCode()).as(during.body()).isIn(201, 202);
    } finally {
      for (Socket socket : flood) {
        socket.close();
      }
    }

    HttpResponse<String> after =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
    assertThat(after.statusCode()).as(after.body()).isIn(200, 201, 202);
  }

  private static Socket connect() throws IOException {
    return new Socket("127.0.0.1", gateway.app().apiPort());
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /**
   * Reads until the server closes the connection; fails if it is still open after {@code bound}.
   */
  private static void assertClosedWithin(Socket socket, Duration bound) throws IOException {
    socket.setSoTimeout((int) bound.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // a response before closing (for example 408) is fine
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for more than " + bound, e);
    } catch (SocketException e) {
      // reset by the server: closed
    }
  }
}
