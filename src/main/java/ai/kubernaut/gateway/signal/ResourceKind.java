package ai.kubernaut.gateway.signal;

/**
 * What the gateway knows about one kind of Kubernetes resource.
 *
 * @param kind e.g. {@code Deployment}
 * @param plural the resource name in API paths, e.g. {@code deployments}
 * @param apiVersion {@code group/version}, {@code v1} for core
 * @param namespaced false for cluster-scoped kinds such as Node
 * @param tier target priority: 1 for workload controllers, 3 for Pod and Node, 2 for the rest
 */
public record ResourceKind(
    String kind, String plural, String apiVersion, boolean namespaced, int tier) {

  /** The API group, empty for core. */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The version part of {@code apiVersion}. */
  public String version() {
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }
}
