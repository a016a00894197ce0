package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
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
 * Connection slots of the API listener: one client cannot take more than its share, and idle
 * kept-alive connections give their slots up when slots run short. Clients are told apart by
 * binding to different loopback addresses.
 */
class ConnectionSlotsIT {

  private static final int MAX_CONNECTIONS = 12;
  private static final int PER_CLIENT = 4;

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway =
        GatewayHarness.start(
            cluster,
            dir,
            """
            server:
              maxConnections: %d
              maxConnectionsPerClient: %d
            """
                .formatted(MAX_CONNECTIONS, PER_CLIENT));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void whenSlotsRunShortAClientBeyondItsShareIsCutOffWhileAnotherClientIsServed()
      throws IOException {
    List<Socket> held = new ArrayList<>();
    try {
      // three quarters of the slots taken by connections still sending their headers: five from
      // other clients, and this client's share
      for (int i = 0; i < MAX_CONNECTIONS * 3 / 4 - PER_CLIENT; i++) {
        held.add(sendingHeaders(connectFrom("127.0.3." + (10 + i))));
      }
      for (int i = 0; i < PER_CLIENT; i++) {
        held.add(sendingHeaders(connectFrom("127.0.0.2")));
      }

      try (Socket extra = connectFrom("127.0.0.2")) {
        assertClosedWithin(extra, Duration.ofSeconds(3));
      }
      try (Socket other = connectFrom("127.0.0.3")) {
        assertThat(exchange(other)).startsWith("HTTP/1.1 404");
      }
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    assertThat(gateway.metrics().body())
        .containsPattern(
            "gateway_http_connections_closed_total\\{reason=\"per_client_limit\"} [1-9]");
  }

  @Test
  void belowThePressureMarkOneClientMayBurstBeyondItsShare() throws IOException {
    List<Socket> burst = new ArrayList<>();
    try {
      for (int i = 0; i < PER_CLIENT + 2; i++) {
        Socket socket = connectFrom("127.0.0.4");
        assertThat(exchange(socket)).startsWith("HTTP/1.1 404");
        burst.add(socket);
      }
    } finally {
      for (Socket socket : burst) {
        socket.close();
      }
    }
  }

  @Test
  void idleConnectionsGiveUpTheirSlotsWhenSlotsRunShort() throws IOException {
    List<Socket> idle = new ArrayList<>();
    try {
      // three quarters of the slots, each from its own client, each idle after one request
      for (int i = 0; i < MAX_CONNECTIONS * 3 / 4; i++) {
        Socket socket = connectFrom("127.0.1." + (10 + i));
        assertThat(exchange(socket)).startsWith("HTTP/1.1 404");
        idle.add(socket);
      }

      // the idle timeout is two minutes; under pressure they go after about two seconds
      for (Socket socket : idle) {
        assertClosedWithin(socket, Duration.ofSeconds(8));
      }
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
    assertThat(gateway.metrics().body())
        .containsPattern(
            "gateway_http_connections_closed_total\\{reason=\"idle_under_pressure\"} [1-9]");
  }

  private static Socket connectFrom(String address) throws IOException {
    return new Socket(
        InetAddress.getLoopbackAddress(),
        gateway.app().apiPort(),
        InetAddress.getByName(address),
        0);
  }

  /** Leaves {@code socket} in the middle of its request line. */
  private static Socket sendingHeaders(Socket socket) throws IOException {
    socket.getOutputStream().write("POST /api/v1/sig".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Sends one keep-alive request and reads its whole response, leaving the connection open. */
  private static String exchange(Socket socket) throws IOException {
    socket.setSoTimeout(5_000);
    socket
        .getOutputStream()
        .write("GET /nope HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    in.readNBytes(length);
    return headers;
  }

  private static void assertClosedWithin(Socket socket, Duration bound) throws IOException {
    socket.setSoTimeout((int) bound.toMillis());
    try {
      while (socket.getInputStream().read() >= 0) {
        // a response before closing is fine
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for more than " + bound, e);
    } catch (SocketException e) {
      // reset by the server: closed
    }
  }
}
