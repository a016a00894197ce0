package ai.kubernaut.gateway.signal;

/** Whether a signal opens a new incident or folds into an existing one, and why. */
public sealed interface DedupDecision {

  /** No incident absorbs the signal: a new RemediationRequest is needed. */
  record CreateIncident() implements DedupDecision {}

  /** The signal is a repeat of {@code incident}. */
  record FoldInto(IncidentState incident, Reason reason) implements DedupDecision {}

  /** Why an existing incident absorbs a signal. */
  enum Reason {
    /** The incident is still being worked on. */
    ACTIVE,
    /** It ended needing a human; repeats wait for that human. */
    MANUAL_REVIEW,
    /** The orchestrator asked for no new attempt before a future time. */
    BACKOFF
  }
}
