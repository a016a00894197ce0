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
                10_000));
    assertThat(security.freshness())
        .isEqualTo(new GatewayConfig.Freshness(true, Duration.ofMinutes(5), Duration.ofMinutes(2)));
    assertThat(security.trustedProxyCidrs()).isEmpty();
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
