package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKubeconfigTest {

  @TempDir Path dir;

  @Test
  void writesAKubeconfigThatFabric8CanLoad() throws Exception {
    Path file = dir.resolve("nested/dir/kubeconfig");

    EmbeddedKubeconfig.write(file, "http://127.0.0.1:6443", "kubernaut-system");

    Config config = Config.fromKubeconfig(Files.readString(file));
    assertThat(config.getMasterUrl()).startsWith("http://127.0.0.1:6443");
    assertThat(config.getNamespace()).isEqualTo("kubernaut-system");
    assertThat(config.getCurrentContext().getName()).isEqualTo("kubernaut-embedded");
    assertThat(config.getAutoOAuthToken()).isEqualTo(EmbeddedKubeconfig.TOKEN);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void overwritesAnExistingFile() throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, "stale");

    EmbeddedKubeconfig.write(file, "http://127.0.0.1:1234", "ns");

    assertThat(Files.readString(file)).contains("server: \"http://127.0.0.1:1234\"");
  }
}
