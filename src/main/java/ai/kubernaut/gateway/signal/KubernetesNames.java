package ai.kubernaut.gateway.signal;

/**
 * Kubernetes object-name rules the adapters need. Checked by hand rather than by regular
 * expression: every label value of every signal is checked, and a matcher allocates per call.
 */
public final class KubernetesNames {

  private KubernetesNames() {}

  /** An RFC 1123 label: what a namespace name must be (at most 63 characters). */
  public static boolean isNamespaceName(String value) {
    return value != null && value.length() <= 63 && isLabel(value, 0, value.length());
  }

  /** An RFC 1123 subdomain: what most object names must be (at most 253 characters). */
  public static boolean isObjectName(String value) {
    if (value == null || value.length() > 253) {
      return false;
    }
    int start = 0;
    for (int dot = value.indexOf('.'); dot >= 0; dot = value.indexOf('.', start)) {
      if (!isLabel(value, start, dot)) {
        return false;
      }
      start = dot + 1;
    }
    return isLabel(value, start, value.length());
  }

  /** Lower-case letters, digits and '-', starting and ending with a letter or digit. */
  private static boolean isLabel(String value, int from, int to) {
    if (from >= to || value.charAt(from) == '-' || value.charAt(to - 1) == '-') {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
