package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser access to the API listener: preflights, allowed and refused origins. */
class CorsIT {

  private static final String CONSOLE = "https://console.example.com";

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start();
    gateway =
        GatewayHarness.start(
            cluster,
            dir,
            """
            auth:
              mode: kubernetes
            cors:
              allowedOrigins: ["%s"]
              allowedMethods: [POST, OPTIONS]
              allowCredentials: true
              maxAge: 120
            """
                .formatted(CONSOLE));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredWithoutCredentials() {
    HttpResponse<String> response = preflight(CONSOLE, "POST", "authorization, content-type");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(CONSOLE);
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .contains("authorization, content-type");
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    assertThat(response.headers().firstValue("Access-Control-Max-Age")).contains("120");
    assertThat(response.headers().firstValue("Vary").orElse("")).contains("Origin");
    assertThat(cluster.faults().seen("POST", "/apis/authentication.k8s.io")).isEmpty();
  }

  @Test
  void aPreflightFromAnotherOriginGetsNoCorsHeaders() {
    HttpResponse<String> response = preflight("https://evil.example", "POST", "authorization");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
  }

  @Test
  void aPreflightForAMethodNotAllowedGetsNoCorsHeaders() {
    HttpResponse<String> response = preflight(CONSOLE, "DELETE", "");

    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void anActualRequestStillNeedsItsTokenAndCarriesCorsHeadersForTheBrowser() {
    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, new byte[] {'{', '}'}, Map.of("Origin", CONSOLE));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(CONSOLE);
    assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
        .contains("Link, X-Request-ID, X-Total-Count");
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
  }

  @Test
  void anActualRequestFromAnotherOriginGetsNoCorsHeaders() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            new byte[] {'{', '}'},
            Map.of("Origin", "https://evil.example"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void anOptionsRequestThatIsNoPreflightIsStill405() {
    HttpResponse<String> response =
        gateway.send(
            HttpRequest.newBuilder(gateway.api(AlertmanagerSource.PATH))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(response.statusCode()).isEqualTo(405);
  }

  private static HttpResponse<String> preflight(String origin, String method, String headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(gateway.api(AlertmanagerSource.PATH))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", method);
    if (!headers.isEmpty()) {
      request.header("Access-Control-Request-Headers", headers);
    }
    return gateway.send(request.build());
  }
}
