package ai.kubernaut.gateway.kube;

/** What API discovery counts. */
@FunctionalInterface
public interface DiscoveryMetrics {

  /** A discovery refresh failed wholly or in part. */
  void refreshFailed();
}
