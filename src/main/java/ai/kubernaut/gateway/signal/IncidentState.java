package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway needs to know about one RemediationRequest to make a dedup decision and to write
 * its occurrence count conditionally.
 *
 * @param name the object's name
 * @param namespace the object's namespace
 * @param resourceVersion the version this view was read at; writes are conditional on it
 * @param fingerprint the full {@code spec.signalFingerprint}
 * @param sequence which incident of this fingerprint it is (1, 2, …); 0 when it was not created by
 *     this gateway and carries no sequence
 * @param createdAt the object's creation time
 * @param phase {@code status.overallPhase}, empty when not yet set
 * @param outcome {@code status.completionStatus.outcome}, empty when not set
 * @param nextAllowedExecution {@code status.routingStatus.nextAllowedExecution}, if set
 * @param occurrences {@code status.deduplication}, if set
 */
public record IncidentState(
    String name,
    String namespace,
    String resourceVersion,
    String fingerprint,
    int sequence,
    Instant createdAt,
    String phase,
    String outcome,
    Optional<Instant> nextAllowedExecution,
    Optional<OccurrenceCount> occurrences) {

  public IncidentState {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(resourceVersion, "resourceVersion");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(createdAt, "createdAt");
    phase = phase == null ? "" : phase;
    outcome = outcome == null ? "" : outcome;
    Objects.requireNonNull(nextAllowedExecution, "nextAllowedExecution");
    Objects.requireNonNull(occurrences, "occurrences");
  }

  /** The number of signals already counted on this incident; zero when never counted. */
  public int occurrenceCount() {
    return occurrences.map(OccurrenceCount::count).orElse(0);
  }

  /** The occurrence record after {@code signals} more signals at {@code now}. */
  public OccurrenceCount countedWith(int signals, Instant now) {
    return occurrences
        .map(o -> o.plus(signals, now))
        .orElseGet(() -> OccurrenceCount.first(signals, now));
  }

  /** {@code namespace/name}, as audit events and responses refer to it. */
  public String ref() {
    return namespace + "/" + name;
  }
}
