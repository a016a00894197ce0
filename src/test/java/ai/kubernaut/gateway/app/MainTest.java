package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  @TempDir Path dir;

  @Test
  void acceptsTheConfigArgumentAsKubernautsChartPassesIt() {
    Main main = new Main();

    new CommandLine(main).parseArgs("--config=/etc/gateway/config.yaml");

    assertThat(main.configFile).isEqualTo(Path.of("/etc/gateway/config.yaml"));
  }

  @Test
  void disagreeingAuthenticationKeysExitWith2NamingBothKeys() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            "server:\n  authenticationEnabled: true\nauth:\n  mode: none\n");
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new Main()).execute("--config", config.toString(), "--embedded");
    } finally {
      System.setErr(original);
    }

    assertThat(exit).isEqualTo(Main.EXIT_CONFIG).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("server.authenticationEnabled")
        .contains("auth.mode");
  }
}
