package ai.kubernaut.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuritySettingsTest {

  @TempDir Path dir;

  @Test
  void defaultsAuthenticateSendersAndTrustNoProxy() {
    GatewayConfig.Security security = load(Map.of(), null);

    assertThat(security.auth())
        .isEqualTo(
            new GatewayConfig.Auth(
                "kubernetes",
                "services",
                "gateway-service",
                "",
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                10_000,
                List.of(),
                20));
    assertThat(security.freshness())
        .isEqualTo(new GatewayConfig.Freshness(true, Duration.ofMinutes(5), Duration.ofMinutes(2)));
    assertThat(security.trustedProxyCidrs()).isEmpty();
  }

  @Test
  void audiencesAndTheReviewRateAreRead() {
    String yaml =
        """
        auth:
          audiences: ["kubernaut-gateway", "other"]
          reviewsPerSecond: 5
        """;

    GatewayConfig.Auth auth = load(Map.of(), yaml).auth();

    assertThat(auth.audiences()).containsExactly("kubernaut-gateway", "other");
    assertThat(auth.reviewsPerSecond()).isEqualTo(5);
  }

  @Test
  void trustedProxyCidrsComeFromTheFileUnlessTheEnvironmentOverrides() throws IOException {
    String yaml =
        """
        middleware:
          trustedProxyCIDRs: ["10.0.0.0/8", "192.168.0.0/16"]
        freshness:
          maxClockSkew: 30s
        """;

    assertThat(load(Map.of(), yaml).trustedProxyCidrs())
        .containsExactly("10.0.0.0/8", "192.168.0.0/16");
    assertThat(
            load(Map.of("TRUSTED_PROXY_CIDRS", " 172.16.0.0/12 , fd00::/8"), yaml)
                .trustedProxyCidrs())
        .isEqualTo(List.of("172.16.0.0/12", "fd00::/8"));
    assertThat(load(Map.of(), yaml).freshness().maxClockSkew()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void corsDefaultsAreGoChiCorsAsTheGoGatewayConfiguresIt() {
    GatewayConfig.Cors cors = load(Map.of(), null).cors();

    assertThat(cors)
        .isEqualTo(
            new GatewayConfig.Cors(
                List.of("*"),
                List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
                List.of("Accept", "Authorization", "Content-Type", "X-Request-ID"),
                List.of("Link", "X-Request-ID", "X-Total-Count"),
                false,
                Duration.ofSeconds(300)));
  }

  @Test
  void corsEnvironmentVariablesFillWhatTheFileDoesNotSet() {
    Map<String, String> env =
        Map.of(
            "CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example",
            "CORS_ALLOWED_METHODS", "post,options",
            "CORS_ALLOWED_HEADERS", "Authorization",
            "CORS_EXPOSED_HEADERS", "X-Request-ID",
            "CORS_ALLOW_CREDENTIALS", "true",
            "CORS_MAX_AGE", "60");
    String yaml =
        """
        cors:
          allowedOrigins: ["https://no-browser-clients.invalid"]
          maxAge: 600
        """;

    GatewayConfig.Cors fromEnv = load(env, null).cors();
    GatewayConfig.Cors mixed = load(env, yaml).cors();

    assertThat(fromEnv.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(fromEnv.allowedMethods()).containsExactly("POST", "OPTIONS");
    assertThat(fromEnv.allowedHeaders()).containsExactly("Authorization");
    assertThat(fromEnv.exposedHeaders()).containsExactly("X-Request-ID");
    assertThat(fromEnv.allowCredentials()).isTrue();
    assertThat(fromEnv.maxAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(mixed.allowedOrigins()).containsExactly("https://no-browser-clients.invalid");
    assertThat(mixed.maxAge()).isEqualTo(Duration.ofSeconds(600));
    assertThat(mixed.allowedMethods()).containsExactly("POST", "OPTIONS");
  }

  @Test
  void invalidCorsEnvironmentValuesAreRefused() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(
                        Map.of("CORS_ALLOW_CREDENTIALS", "yes", "CORS_MAX_AGE", "5m"), null)
                    .load(Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("CORS_ALLOW_CREDENTIALS")
        .hasMessageContaining("CORS_MAX_AGE");
  }

  @Test
  void anUnknownAuthModeIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "auth:\n  mode: basic\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of(), null).load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.mode");
  }

  @Test
  void embeddedModeTurnsSenderAuthOff() {
    GatewayConfig config = new ConfigLoader(Map.of(), null).load(Optional.empty());

    assertThat(config.withoutSenderAuth().security().auth().enabled()).isFalse();
    assertThat(config.security().auth().enabled()).isTrue();
  }

  private GatewayConfig.Security load(Map<String, String> env, String yaml) {
    try {
      Optional<Path> file =
          yaml == null
              ? Optional.empty()
              : Optional.of(Files.writeString(dir.resolve("gateway.yaml"), yaml));
      return new ConfigLoader(env, null).load(file).security();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
