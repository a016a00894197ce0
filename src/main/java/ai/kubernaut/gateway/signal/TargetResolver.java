package ai.kubernaut.gateway.signal;

/** Turns a signal's target candidates into the top-level workload that owns the target. */
public interface TargetResolver {

  /**
   * Resolves the owner of the first existing candidate.
   *
   * @throws InvalidSignalException when no owner can be determined
   * @throws TransientBackendException when the cluster could not be asked
   */
  ResourceRef resolveOwner(InboundSignal signal);
}
