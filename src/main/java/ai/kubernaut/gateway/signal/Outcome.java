package ai.kubernaut.gateway.signal;

import java.util.Optional;

/**
 * What became of one signal. Every signal the gateway accepts for processing ends in one of these.
 */
public sealed interface Outcome {

  /** The adapter's view of the signal this outcome is about. */
  InboundSignal inbound();

  /** The resolved signal, when processing got that far. */
  Optional<Signal> signal();

  /** An outcome reached after the signal's target was resolved. */
  sealed interface ResolvedOutcome extends Outcome {
    Signal resolved();

    @Override
    default InboundSignal inbound() {
      return resolved().details();
    }

    @Override
    default Optional<Signal> signal() {
      return Optional.of(resolved());
    }
  }

  /** The signal opened a new incident. */
  record Created(Signal resolved, IncidentState incident, OccurrenceCount occurrences)
      implements ResolvedOutcome {}

  /** The signal was counted on an existing incident; {@code occurrences} includes it. */
  record Duplicate(
      Signal resolved,
      IncidentState incident,
      OccurrenceCount occurrences,
      DedupDecision.Reason reason)
      implements ResolvedOutcome {}

  /**
   * The target is outside the gateway's management scope, or in another cluster; nothing was
   * recorded, by design. A signal from another cluster is not resolved: its target is as sent.
   */
  record Rejected(Signal resolved, String reason) implements ResolvedOutcome {
    public static final String UNMANAGED_RESOURCE = "unmanaged_resource";
    public static final String FOREIGN_CLUSTER = "foreign_cluster";
  }

  /**
   * A resolved alert: the sender says the condition ended. Nothing was opened or counted. {@code
   * activeIncident} is the active incident of its fingerprint as this replica last saw it, if any;
   * {@code ownerFound} is false when the target is gone and its workload, so its fingerprint, is
   * not known.
   */
  record Resolved(Signal resolved, Optional<IncidentState> activeIncident, boolean ownerFound)
      implements ResolvedOutcome {

    public Resolved(Signal resolved, Optional<IncidentState> activeIncident) {
      this(resolved, activeIncident, true);
    }

    /**
     * A resolved alert whose target is gone, so the workload that owned it, and with it any active
     * incident, cannot be known; {@code resolved} carries the target as sent.
     */
    public static Resolved ownerUnknown(Signal resolved) {
      return new Resolved(resolved, Optional.empty(), false);
    }
  }

  /** The signal can never be recorded as sent (e.g. its target does not exist); no retry helps. */
  record Invalid(InboundSignal inbound, String detail) implements Outcome {
    @Override
    public Optional<Signal> signal() {
      return Optional.empty();
    }
  }

  /**
   * The signal could not be recorded now; the sender should retry. {@code apiError} is the
   * Kubernetes API's answer that caused it, when there was one.
   */
  record Failed(
      InboundSignal inbound,
      Optional<Signal> signal,
      FailureCause cause,
      String detail,
      Optional<ApiError> apiError)
      implements Outcome {

    public Failed(
        InboundSignal inbound, Optional<Signal> signal, FailureCause cause, String detail) {
      this(inbound, signal, cause, detail, Optional.empty());
    }
  }

  /** Why a signal could not be recorded. */
  enum FailureCause {
    /** A backend (the Kubernetes API) failed or was unreachable. */
    BACKEND_UNAVAILABLE,
    /** The request deadline passed before the signal was recorded. */
    DEADLINE_EXCEEDED,
    /** The signal was handled but its audit events could not be recorded durably. */
    AUDIT_UNAVAILABLE
  }

  /** True when the signal is durably handled and a retry would not change anything. */
  default boolean settled() {
    return !(this instanceof Failed);
  }
}
