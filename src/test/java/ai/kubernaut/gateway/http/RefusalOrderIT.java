package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.CapturedLogs;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the wire, which refusal a body breaking two rules gets, and which security event is logged: a
 * stale {@code X-Timestamp} is a replay (400, {@code security_event=freshness}) whatever the body,
 * and an overlong string past a field of the wrong type is the string limit (413, {@code
 * security_event=string_length}), as before the intake step.
 */
class RefusalOrderIT {

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;
  static CapturedLogs logs;

  @BeforeAll
  static void start() {
    logs = new CapturedLogs();
    cluster = MockCluster.start();
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
  void aStaleStampOnABodyOverALabelLimitIsAReplay() {
    String labels =
        IntStream.range(0, 65)
            .mapToObj(i -> "\"l" + i + "\":\"v\"")
            .collect(Collectors.joining(","));
    String body =
        "{\"alerts\":[{\"labels\":{" + labels + "},\"startsAt\":\"" + Instant.now() + "\"}]}";

    HttpResponse<String> response = post(body, stale("203.0.113.21"));

    assertProblem(response, 400, "timestamp too old: possible replay attack");
    assertThat(logs.lines())
        .anyMatch(l -> l.contains("security_event=freshness client=203.0.113.21"));
  }

  @Test
  void aStaleStampOnMalformedJsonIsAReplay() {
    HttpResponse<String> response = post("{\"alerts\": [", stale("203.0.113.22"));

    assertProblem(response, 400, "timestamp too old: possible replay attack");
    assertThat(logs.lines())
        .anyMatch(l -> l.contains("security_event=freshness client=203.0.113.22"));
  }

  @Test
  void anOverlongStringPastAFieldOfTheWrongTypeIsTheStringLimit() {
    String body = "{\"alerts\":{},\"commonLabels\":{\"k\":\"" + "s".repeat(70_000) + "\"}}";

    HttpResponse<String> response = post(body, Map.of("X-Forwarded-For", "203.0.113.23"));

    assertProblem(response, 413, "JSON string exceeds the limit of 65536 characters");
    assertThat(logs.lines())
        .anyMatch(l -> l.contains("security_event=string_length client=203.0.113.23"));
  }

  private static Map<String, String> stale(String client) {
    return Map.of(
        "X-Timestamp",
        Long.toString(Instant.now().minusSeconds(600).getEpochSecond()),
        "X-Forwarded-For",
        client);
  }

  private static HttpResponse<String> post(String body, Map<String, String> extra) {
    Map<String, String> headers = new java.util.HashMap<>(extra);
    headers.put("Content-Type", "application/json");
    return gateway.post(AlertmanagerSource.PATH, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("detail").asText()).isEqualTo(detail);
  }
}
