package ai.kubernaut.gateway.kube;

/** What the Kubernetes backend counts. */
public interface KubeMetrics extends DiscoveryMetrics {

  /** One attempt of an HTTP request to the API; {@code code} is the status or {@code error}. */
  void apiRequest(String verb, String resource, String code);

  /** The write circuit breaker's state: 0 closed, 1 half-open, 2 open. */
  void writeBreakerState(int state);

  /** A new incident's deterministic name was created by this replica. */
  void incidentClaimAcquired();

  /** A new incident's deterministic name had been created by another writer first. */
  void incidentClaimContended();
}
