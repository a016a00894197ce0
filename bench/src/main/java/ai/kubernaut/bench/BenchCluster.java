package ai.kubernaut.bench;

import ai.kubernaut.gateway.embedded.EmbeddedKubeconfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * What both bench API servers hold and how their processes are told about it: the namespaces, the
 * workload names (Deployment, ReplicaSet and Pod per workload), the key=value arguments and the
 * kubeconfig the gateway reads.
 */
final class BenchCluster {

  static final String CONTROLLER_NS = "kubernaut-system";
  static final String MANAGED_NS = "bench";
  static final String BASELINE_NS = "kubernaut-baseline";
  static final String FILLER_NS = "filler";

  private BenchCluster() {}

  static String deploymentName(int i) {
    return String.format("app-%04d", i);
  }

  static String replicaSetName(int i) {
    return deploymentName(i) + "-7d9f8b6c5";
  }

  static String podName(int i) {
    return replicaSetName(i) + "-x2k4p";
  }

  static String fillerPodName(int i) {
    return String.format("filler-%05d", i);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The gateway's kubeconfig: the embedded mode's, pointed at the bench API server. */
  static void writeKubeconfig(Path file, String url) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, EmbeddedKubeconfig.render(url, CONTROLLER_NS));
  }

  /** key=value arguments. */
  static Map<String, String> args(String[] argv) {
    Map<String, String> out = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq > 0) {
        out.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    return out;
  }
}
