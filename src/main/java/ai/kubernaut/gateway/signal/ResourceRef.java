package ai.kubernaut.gateway.signal;

import java.util.Locale;
import java.util.Objects;

/**
 * A Kubernetes object a signal is about: the raw target of an alert or event, or the workload that
 * owns it after owner resolution.
 *
 * @param kind the object's kind, e.g. {@code Deployment}
 * @param name the object's name
 * @param namespace the object's namespace, empty for cluster-scoped objects
 * @param apiVersion {@code group/version} ({@code v1} for core), empty when unknown
 */
public record ResourceRef(String kind, String name, String namespace, String apiVersion) {

  public ResourceRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
    apiVersion = apiVersion == null ? "" : apiVersion;
  }

  /** The target of an alert none of whose labels names a Kubernetes resource (the Go form). */
  public static final ResourceRef UNNAMED = ResourceRef.of("Unknown", "", "unknown");

  public static ResourceRef of(String kind, String namespace, String name) {
    return new ResourceRef(kind, name, namespace, "");
  }

  public ResourceRef withApiVersion(String newApiVersion) {
    return new ResourceRef(kind, name, namespace, newApiVersion);
  }

  public boolean clusterScoped() {
    return namespace.isEmpty();
  }

  /** The Go Gateway's human-readable form: {@code namespace:Kind:name} or {@code Kind:name}. */
  public String display() {
    return clusterScoped() ? kind + ":" + name : namespace + ":" + kind + ":" + name;
  }

  /** The kubectl resource name for this kind, e.g. {@code deployment}. */
  public String kubectlKind() {
    return kind.toLowerCase(Locale.ROOT);
  }
}
