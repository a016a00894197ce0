package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.testing.CapturedLogs;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay protection, payload bounds, the in-flight limit and proxy trust. */
class RequestHygieneIT {

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;
  static CapturedLogs logs;

  @BeforeAll
  static void start() {
    logs = new CapturedLogs();
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway =
        GatewayHarness.start(
            cluster,
            dir,
            """
            server:
              listenAddr: "127.0.0.1:0"
              healthAddr: "127.0.0.1:0"
              metricsAddr: "127.0.0.1:0"
              shutdownTimeout: 5s
              maxConcurrentRequests: 2
            freshness:
              enabled: true
            limits:
              maxLabels: 64
            middleware:
              trustedProxyCIDRs: ["127.0.0.1/32"]
            """);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
    logs.close();
  }

  @Test
  void replayedTimestampHeaderIsRefused() {
    HttpResponse<String> response =
        post(
            AlertmanagerSource.PATH,
            alert(Instant.now()),
            Map.of("X-Timestamp", Long.toString(Instant.now().minusSeconds(600).getEpochSecond())));

    assertValidationProblem(response, 400, "timestamp too old: possible replay attack");
  }

  @Test
  void futureDatedAlertIsRefused() {
    HttpResponse<String> response =
        post(AlertmanagerSource.PATH, alert(Instant.now().plus(10, ChronoUnit.MINUTES)), Map.of());

    assertValidationProblem(response, 400, "alert startsAt in future: possible clock skew attack");
  }

  @Test
  void freshAlertWithACurrentTimestampIsRecorded() {
    HttpResponse<String> response =
        post(
            AlertmanagerSource.PATH,
            alert(Instant.now().minus(2, ChronoUnit.HOURS)),
            Map.of("X-Timestamp", Long.toString(Instant.now().getEpochSecond())));

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
  }

  @Test
  void staleEventIsRefusedAndAFreshOneRecorded() {
    String stale = Fixtures.text("kubernetes-event/core-v1-backoff.json");
    String fresh =
        stale.replaceAll(
            "\"(first|last)Timestamp\": \"[^\"]+\"",
            "\"$1Timestamp\": \"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"");

    assertValidationProblem(
        post(KubernetesEventSource.PATH, stale, Map.of()),
        400,
        "event timestamp too old: possible stale event");
    assertThat(post(KubernetesEventSource.PATH, fresh, Map.of()).statusCode()).isIn(201, 202);
  }

  @Test
  void hugeLabelMapIs413NamingTheLimit() {
    String labels =
        IntStream.range(0, 65)
            .mapToObj(i -> "\"label" + i + "\":\"v\"")
            .collect(Collectors.joining(","));
    String body =
        "{\"alerts\":[{\"labels\":{" + labels + "},\"startsAt\":\"" + Instant.now() + "\"}]}";

    assertValidationProblem(
        post(AlertmanagerSource.PATH, body, Map.of()),
        413,
        "Too many entries in alerts[0].labels: 65 exceeds the limit of 64");
  }

  @Test
  void deepNestingIs400NamingTheLimit() {
    String body = "{\"alerts\":" + "[".repeat(40) + "]".repeat(40) + "}";

    assertValidationProblem(
        post(AlertmanagerSource.PATH, body, Map.of()),
        400,
        "JSON nesting exceeds the limit of 32 levels");
  }

  @Test
  void wrongContentTypeIs415() {
    HttpResponse<String> response =
        post(AlertmanagerSource.PATH, alert(Instant.now()), Map.of("Content-Type", "text/xml"));

    assertThat(response.statusCode()).isEqualTo(415);
  }

  @Test
  void requestsBeyondTheInFlightLimitGet503WithRetryAfter() throws Exception {
    // Two clients that send their headers but stall in the body hold both permits.
    try (Socket first = stalledBody();
        Socket second = stalledBody()) {
      HttpResponse<String> rejected =
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> post(AlertmanagerSource.PATH, alert(Instant.now()), Map.of()),
                  r -> r.statusCode() == 503);

      assertValidationProblem(
          rejected, 503, "Server capacity exceeded: more than 2 requests in flight");
      assertThat(rejected.headers().firstValue("Retry-After")).contains("1");
      assertThat(first.isConnected() && second.isConnected()).isTrue();
    }
    assertThat(gateway.metrics().body())
        .contains("gateway_http_requests_rejected_total{reason=\"overload\"} 1.0");
  }

  @Test
  void requestsTheWebServerRefusesBeforeOurFiltersStillCarryTheRequestIdAndSecurityHeaders()
      throws java.io.IOException {
    for (String malformed :
        java.util.List.of(
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            "X-Request-ID: abc\u001bdef\r\n",
            "Content-Encoding: gzip\r\nContent-Length: 2\r\n")) {
      try (Socket socket = new Socket("127.0.0.1", gateway.app().apiPort())) {
        socket.setSoTimeout(5_000);
        socket
            .getOutputStream()
            .write(
                ("POST "
                        + AlertmanagerSource.PATH
                        + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                        + malformed
                        + "\r\n{}")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();

        String response =
            new String(
                socket.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(response)
            .as(malformed)
            .startsWith("HTTP/1.1 400")
            .containsIgnoringCase("x-request-id: ")
            .containsIgnoringCase("x-content-type-options: nosniff")
            .containsIgnoringCase("content-type: application/problem+json")
            .contains("\"status\":400");
      }
    }
  }

  private static Socket stalledBody() throws java.io.IOException {
    Socket socket = new Socket("127.0.0.1", gateway.app().apiPort());
    socket
        .getOutputStream()
        .write(
            ("POST "
                    + AlertmanagerSource.PATH
                    + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  @Test
  void aTrustedProxyNamesTheClientInSecurityEvents() {
    post(
        AlertmanagerSource.PATH,
        alert(Instant.now()),
        Map.of("X-Timestamp", "0", "X-Forwarded-For", "203.0.113.9, 127.0.0.1"));

    assertThat(logs.lines())
        .anyMatch(l -> l.contains("security_event=freshness client=203.0.113.9"));
  }

  @Test
  void everyForwardedForLineIsReadRightToLeftAsOneList() throws IOException {
    String body = alert(Instant.now());
    try (Socket socket = new Socket("127.0.0.1", gateway.app().apiPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST "
                      + AlertmanagerSource.PATH
                      + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "X-Timestamp: 0\r\n"
                      + "X-Forwarded-For: 198.51.100.7\r\n"
                      + "X-Forwarded-For: 203.0.113.10, 127.0.0.1\r\n"
                      + "Connection: close\r\nContent-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String statusLine =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertThat(statusLine).startsWith("HTTP/1.1 400");
    }

    assertThat(logs.lines())
        .anyMatch(l -> l.contains("security_event=freshness client=203.0.113.10"))
        .noneMatch(l -> l.contains("client=198.51.100.7"));
  }

  private static HttpResponse<String> post(String path, String body, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.putAll(extra);
    return gateway.post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static String alert(Instant startsAt) {
    return "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\","
        + "\"severity\":\"critical\",\"namespace\":\"demo\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"},"
        + "\"startsAt\":\""
        + startsAt.truncatedTo(ChronoUnit.SECONDS)
        + "\"}]}";
  }

  private static void assertValidationProblem(
      HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("type").asText()).startsWith("https://kubernaut.ai/problems/");
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("detail").asText()).isEqualTo(detail);
    assertThat(body.path("request_id").asText()).isNotEmpty();
  }
}
