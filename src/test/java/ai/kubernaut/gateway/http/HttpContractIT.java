package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status codes, RFC 7807 bodies and headers for everything that is not a recorded signal. */
class HttpContractIT {

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway = GatewayHarness.start(cluster, dir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void malformedJsonIsABadRequestProblem() {
    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, "{\"alerts\": [");

    assertProblem(response, 400, "https://kubernaut.ai/problems/validation-error", "Bad Request");
    assertThat(problem(response).path("detail").asText())
        .startsWith("Failed to parse signal: malformed JSON");
    assertThat(problem(response).path("instance").asText()).isEqualTo(AlertmanagerSource.PATH);
  }

  @Test
  void aBodyOfTheWrongShapeNamesWhereButNotTheParsersJavaTypes() {
    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, "{\"alerts\": \"" + "z".repeat(400) + "\"}");

    assertProblem(response, 400, "https://kubernaut.ai/problems/validation-error", "Bad Request");
    assertThat(problem(response).path("detail").asText())
        .startsWith("Failed to parse signal: invalid")
        .contains("alerts")
        .doesNotContain("java.", "`", "deserialize", "zzzz");
  }

  @Test
  void emptyAlertListIsABadRequest() {
    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, "{\"alerts\": []}");

    assertProblem(response, 400, "https://kubernaut.ai/problems/validation-error", "Bad Request");
    assertThat(problem(response).path("detail").asText())
        .isEqualTo("Failed to parse signal: webhook contains no alerts");
  }

  @Test
  void normalEventIsABadRequest() {
    HttpResponse<String> response =
        gateway.post(
            KubernetesEventSource.PATH, Fixtures.bytes("kubernetes-event/normal-scheduled.json"));

    assertProblem(response, 400, "https://kubernaut.ai/problems/validation-error", "Bad Request");
    assertThat(problem(response).path("detail").asText()).contains("Normal");
  }

  @Test
  void wrongContentTypeIs415WithAcceptHeader() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            Fixtures.bytes("alertmanager/firing-pod.json"),
            Map.of("Content-Type", "text/plain"));

    assertProblem(
        response,
        415,
        "https://kubernaut.ai/problems/unsupported-media-type",
        "Unsupported Media Type");
    assertThat(response.headers().firstValue("Accept")).hasValue("application/json");
  }

  @Test
  void jsonWithCharsetAndMissingContentTypeAreAccepted() {
    HttpResponse<String> withCharset =
        gateway.post(
            AlertmanagerSource.PATH,
            "{\"alerts\": []}".getBytes(),
            Map.of("Content-Type", "application/json; charset=utf-8"));
    HttpResponse<String> without =
        gateway.post(AlertmanagerSource.PATH, "{\"alerts\": []}".getBytes(), Map.of());

    assertThat(withCharset.statusCode()).isEqualTo(400);
    assertThat(without.statusCode()).isEqualTo(400);
    assertThat(problem(without).path("detail").asText()).contains("no alerts");
  }

  @Test
  void unparsableContentTypeIsABadRequest() {
    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, "{}".getBytes(), Map.of("Content-Type", "json"));

    assertProblem(response, 400, "https://kubernaut.ai/problems/validation-error", "Bad Request");
  }

  @Test
  void exactly256KiBIsReadAndOneByteMoreIs413() {
    byte[] exact = padded(GatewayAppLimits.MAX_BODY);
    byte[] tooLarge = padded(GatewayAppLimits.MAX_BODY + 1);

    HttpResponse<String> atLimit = gateway.post(KubernetesEventSource.PATH, exact);
    HttpResponse<String> overLimit = gateway.post(KubernetesEventSource.PATH, tooLarge);

    assertThat(atLimit.statusCode()).isEqualTo(400);
    assertProblem(
        overLimit,
        413,
        "https://kubernaut.ai/problems/payload-too-large",
        "Request Entity Too Large");
  }

  @Test
  void unknownPathIs404Problem() {
    HttpResponse<String> response = gateway.post("/api/v1/signals/grafana", "{}");

    assertProblem(response, 404, "https://kubernaut.ai/problems/not-found", "Not Found");
  }

  @Test
  void wrongMethodIs405WithAllowHeader() {
    HttpResponse<String> response =
        gateway.send(HttpRequest.newBuilder(gateway.api(AlertmanagerSource.PATH)).GET().build());

    assertProblem(
        response, 405, "https://kubernaut.ai/problems/method-not-allowed", "Method Not Allowed");
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void everyResponseCarriesSecurityHeadersAndARequestId() {
    HttpResponse<String> response = gateway.post("/nowhere", "{}");

    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(response.headers().firstValue("X-XSS-Protection")).hasValue("1; mode=block");
    assertThat(response.headers().firstValue("Strict-Transport-Security"))
        .hasValue("max-age=31536000; includeSubDomains");
    assertThat(response.headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    String id = response.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(id).matches("[0-9a-f-]{36}");
    assertThat(problem(response).path("request_id").asText()).isEqualTo(id);
  }

  @Test
  void aWellFormedIncomingRequestIdIsKeptAndAHostileOneReplaced() {
    HttpResponse<String> kept =
        gateway.post("/nowhere", "{}".getBytes(), Map.of("X-Request-ID", "am-retry-42"));
    HttpResponse<String> replaced =
        gateway.post("/nowhere", "{}".getBytes(), Map.of("X-Request-ID", "x".repeat(300)));

    assertThat(kept.headers().firstValue("X-Request-ID")).hasValue("am-retry-42");
    assertThat(replaced.headers().firstValue("X-Request-ID").orElseThrow()).hasSize(36);
  }

  @Test
  void healthAndReadinessAnswerOnTheHealthListener() {
    HttpResponse<String> healthz = gateway.health("/healthz");
    HttpResponse<String> readyz = gateway.health("/readyz");

    assertThat(healthz.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.parse(healthz.body()).path("status").asText()).isEqualTo("healthy");
    assertThat(readyz.statusCode()).isEqualTo(200);
    JsonNode ready = GatewayHarness.parse(readyz.body());
    assertThat(ready.path("status").asText()).isEqualTo("ready");
    assertThat(ready.path("checks").path("informerCacheSynced").path("ok").asBoolean()).isTrue();
    assertThat(ready.path("checks").path("kubernetesApi").path("ok").asBoolean()).isTrue();
    assertThat(ready.path("checks").path("signalListener").path("ok").asBoolean()).isTrue();
  }

  @Test
  void unknownPathsShareOneMetricsSeries() {
    gateway.post("/scan/" + System.nanoTime(), "{}");

    assertThat(gateway.metrics().body())
        .contains("endpoint=\"unmatched\"")
        .doesNotContain("/scan/");
  }

  private static JsonNode problem(HttpResponse<String> response) {
    return GatewayHarness.parse(response.body());
  }

  private static void assertProblem(
      HttpResponse<String> response, int status, String type, String title) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = problem(response);
    assertThat(problem.path("type").asText()).isEqualTo(type);
    assertThat(problem.path("title").asText()).isEqualTo(title);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isNotBlank();
  }

  /** A syntactically valid JSON object padded with spaces to exactly {@code size} bytes. */
  private static byte[] padded(int size) {
    String json = "{\"reason\":\"x\"}";
    return (json + " ".repeat(size - json.length()))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The request-size limit of the signal routes. */
  static final class GatewayAppLimits {
    static final int MAX_BODY = ai.kubernaut.gateway.app.GatewayApp.MAX_BODY_BYTES;
  }
}
