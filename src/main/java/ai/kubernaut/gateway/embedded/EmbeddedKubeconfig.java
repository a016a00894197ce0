package ai.kubernaut.gateway.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a kubeconfig that points kubectl at the embedded cluster. */
public final class EmbeddedKubeconfig {

  static final String NAME = "kubernaut-embedded";
  static final String TOKEN = "kubernaut-embedded-token";

  private EmbeddedKubeconfig() {}

  public static String render(String server, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user:
            token: %3$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: %4$s
        current-context: %1$s
        """
        .formatted(NAME, quoted(server), quoted(TOKEN), quoted(namespace));
  }

  private static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  static void write(Path file, String server, String namespace) {
    Path target = file.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      // a temp file is created owner-only (rw-------), so the token is never world-readable
      Path temp = Files.createTempFile(target.getParent(), ".kubeconfig", ".tmp");
      Files.writeString(temp, render(server, namespace));
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write kubeconfig " + target, e);
    }
  }
}
