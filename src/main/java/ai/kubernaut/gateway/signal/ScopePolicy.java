package ai.kubernaut.gateway.signal;

/** Decides whether a workload is opted in to remediation. */
public interface ScopePolicy {

  /**
   * True when signals about {@code owner} may open incidents.
   *
   * @throws TransientBackendException when the answer could not be read
   */
  boolean isManaged(ResourceRef owner);
}
