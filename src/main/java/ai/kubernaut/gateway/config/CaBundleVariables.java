package ai.kubernaut.gateway.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The environment variables naming PEM CA bundles to trust (the kubernaut operator sets both). */
final class CaBundleVariables {

  static final String TLS_CA_FILE = "TLS_CA_FILE";
  static final String SSL_CERT_FILE = "SSL_CERT_FILE";

  private CaBundleVariables() {}

  /** The bundles these variables name, in their order; a variable unset or blank names none. */
  static List<Path> bundles(Map<String, String> env, String... variables) {
    List<Path> bundles = new ArrayList<>();
    for (String variable : variables) {
      String value = env.getOrDefault(variable, "").trim();
      if (!value.isEmpty()) {
        bundles.add(Path.of(value));
      }
    }
    return bundles;
  }
}
