package ai.kubernaut.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.testing.CapturedLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys the Go Gateway added or retired after our contract was written. */
class GoGatewayKeysTest {

  @TempDir Path dir;

  @Test
  void authenticationStaysOnUnlessAKeyTurnsItOff() {
    GatewayConfig config = load(Optional.empty());

    assertThat(config.security().auth().mode()).isEqualTo(GatewayConfig.Security.AUTH_KUBERNETES);
  }

  @Test
  void authenticationEnabledFalseTurnsSenderAuthenticationOff() throws IOException {
    GatewayConfig config = load(write("server:\n  authenticationEnabled: false\n"));

    assertThat(config.security().auth().mode()).isEqualTo(GatewayConfig.Security.AUTH_NONE);
    assertThat(config.security().auth().enabled()).isFalse();
  }

  @Test
  void authenticationEnabledTrueMeansTokenReviewAndAccessReview() throws IOException {
    GatewayConfig config = load(write("server:\n  authenticationEnabled: true\n"));

    assertThat(config.security().auth().mode()).isEqualTo(GatewayConfig.Security.AUTH_KUBERNETES);
  }

  @Test
  void bothSpellingsMayBeSetWhenTheyAgree() throws IOException {
    GatewayConfig config =
        load(write("server:\n  authenticationEnabled: false\nauth:\n  mode: none\n"));

    assertThat(config.security().auth().mode()).isEqualTo(GatewayConfig.Security.AUTH_NONE);
  }

  @Test
  void bothSpellingsDisagreeingIsAnErrorNamingBothKeys() throws IOException {
    Optional<Path> file =
        write("server:\n  authenticationEnabled: false\nauth:\n  mode: kubernetes\n");

    assertThatThrownBy(() -> load(file))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .singleElement()
                    .asString()
                    .contains("server.authenticationEnabled=\"false\"")
                    .contains("auth.mode (kubernetes)"));
  }

  @Test
  void authenticationEnabledMustBeABoolean() throws IOException {
    Optional<Path> file = write("server:\n  authenticationEnabled: maybe\n");

    assertThatThrownBy(() -> load(file))
        .hasMessageContaining("server.authenticationEnabled=\"maybe\": must be true or false");
  }

  @Test
  void profilingIsOffByDefaultAndTurnedOnByPprofEnabled() throws IOException {
    assertThat(load(Optional.empty()).debug().pprofEnabled()).isFalse();
    assertThat(load(write("debug:\n  pprofEnabled: true\n")).debug().pprofEnabled()).isTrue();
  }

  @Test
  void newKeysAreNotReportedAsUnknown() throws IOException {
    Optional<Path> file =
        write(
            """
            server:
              authenticationEnabled: true
            debug:
              pprofEnabled: false
            datastorage:
              buffer:
                bufferSize: 10000
            """);
    try (CapturedLogs logs = new CapturedLogs()) {
      load(file);

      List<String> unknown =
          logs.lines().stream().filter(l -> l.contains("ignoring config keys")).toList();
      assertThat(unknown)
          .singleElement()
          .asString()
          .contains("datastorage.buffer.bufferSize")
          .doesNotContain("authenticationEnabled")
          .doesNotContain("pprofEnabled");
    }
  }

  @Test
  void disableProfilingIsAcceptedWithOneWarningNamingTheNewKey() throws IOException {
    Optional<Path> file = write("server:\n  disableProfiling: true\n");
    try (CapturedLogs logs = new CapturedLogs()) {
      GatewayConfig config = load(file);

      assertThat(config.debug().pprofEnabled()).isFalse();
      assertThat(logs.lines())
          .filteredOn(l -> l.contains("disableProfiling"))
          .singleElement()
          .asString()
          .startsWith("WARN")
          .contains("debug.pprofEnabled");
      assertThat(logs.lines()).noneMatch(l -> l.contains("ignoring config keys"));
    }
  }

  private GatewayConfig load(Optional<Path> file) {
    return new ConfigLoader(Map.of(), null).load(file);
  }

  private Optional<Path> write(String yaml) throws IOException {
    return Optional.of(Files.writeString(dir.resolve("gateway.yaml"), yaml));
  }
}
