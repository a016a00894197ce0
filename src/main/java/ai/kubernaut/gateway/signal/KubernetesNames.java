package ai.kubernaut.gateway.signal;

import java.util.regex.Pattern;

/** Kubernetes object-name rules the adapters need. */
public final class KubernetesNames {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private KubernetesNames() {}

  /** An RFC 1123 label: what a namespace name must be (at most 63 characters). */
  public static boolean isNamespaceName(String value) {
    return value != null && value.length() <= 63 && LABEL.matcher(value).matches();
  }

  /** An RFC 1123 subdomain: what most object names must be (at most 253 characters). */
  public static boolean isObjectName(String value) {
    return value != null && value.length() <= 253 && SUBDOMAIN.matcher(value).matches();
  }
}
