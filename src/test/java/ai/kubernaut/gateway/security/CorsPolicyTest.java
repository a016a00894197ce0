package ai.kubernaut.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.config.GatewayConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {

  private static GatewayConfig.Cors cors(List<String> origins, boolean credentials) {
    return new GatewayConfig.Cors(
        origins,
        List.of("GET", "POST", "OPTIONS"),
        List.of("Accept", "Authorization", "Content-Type", "X-Request-ID"),
        List.of("Link", "X-Request-ID"),
        credentials,
        Duration.ofSeconds(300));
  }

  @Test
  void anyOriginWithoutCredentialsIsAnsweredWithAStar() {
    CorsPolicy policy = new CorsPolicy(cors(List.of("*"), false));

    assertThat(policy.preflight("https://a.example", "post", List.of("Content-Type")))
        .containsEntry("Access-Control-Allow-Origin", "*")
        .containsEntry("Access-Control-Allow-Methods", "POST")
        .containsEntry("Access-Control-Allow-Headers", "Content-Type")
        .containsEntry("Access-Control-Max-Age", "300")
        .doesNotContainKey("Access-Control-Allow-Credentials");
    assertThat(policy.actual("https://a.example", "POST"))
        .containsEntry("Access-Control-Allow-Origin", "*")
        .containsEntry("Access-Control-Expose-Headers", "Link, X-Request-ID");
  }

  @Test
  void anyOriginWithCredentialsNamesTheCallerNeverAStar() {
    CorsPolicy policy = new CorsPolicy(cors(List.of("*"), true));

    assertThat(policy.preflight("https://a.example", "POST", List.of()))
        .containsEntry("Access-Control-Allow-Origin", "https://a.example")
        .containsEntry("Access-Control-Allow-Credentials", "true");
    assertThat(policy.actual("https://a.example", "POST"))
        .containsEntry("Access-Control-Allow-Origin", "https://a.example")
        .containsEntry("Access-Control-Allow-Credentials", "true");
  }

  @Test
  void listedAndWildcardOriginsMatchCaseInsensitively() {
    CorsPolicy policy =
        new CorsPolicy(cors(List.of("https://console.example", "https://*.apps.example"), false));

    assertThat(policy.actual("HTTPS://Console.Example", "GET"))
        .containsEntry("Access-Control-Allow-Origin", "HTTPS://Console.Example");
    assertThat(policy.actual("https://team.apps.example", "GET")).isNotEmpty();
    assertThat(policy.actual("https://apps.example", "GET")).isEmpty();
    assertThat(policy.actual("https://evil.example", "GET")).isEmpty();
    assertThat(policy.actual("https://console.example.evil", "GET")).isEmpty();
  }

  @Test
  void disallowedOriginMethodOrHeaderGetsNoCorsHeaders() {
    CorsPolicy policy = new CorsPolicy(cors(List.of("https://console.example"), false));

    assertThat(policy.preflight("https://evil.example", "POST", List.of())).isEmpty();
    assertThat(policy.preflight("https://console.example", "DELETE", List.of())).isEmpty();
    assertThat(policy.preflight("https://console.example", "POST", List.of("X-Custom"))).isEmpty();
    assertThat(policy.preflight("", "POST", List.of())).isEmpty();
    assertThat(policy.actual("https://console.example", "DELETE")).isEmpty();
  }

  @Test
  void theHelmDefaultDeniesEveryBrowser() {
    CorsPolicy policy = new CorsPolicy(cors(List.of("https://no-browser-clients.invalid"), false));

    assertThat(policy.preflight("https://console.example", "POST", List.of())).isEmpty();
    assertThat(policy.actual("https://console.example", "POST")).isEmpty();
  }
}
