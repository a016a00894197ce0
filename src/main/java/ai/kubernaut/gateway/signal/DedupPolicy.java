package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a signal is a repeat of an existing incident. An incident absorbs repeats while
 * it is active (any phase outside the terminal whitelist, including an empty or unknown one), when
 * it ended in manual review, or while the orchestrator's backoff has not yet elapsed.
 */
public final class DedupPolicy {

  static final Set<String> TERMINAL_PHASES =
      Set.of("Completed", "Failed", "TimedOut", "Skipped", "Cancelled");
  static final String MANUAL_REVIEW_OUTCOME = "ManualReviewRequired";

  private static final Comparator<IncidentState> OLDEST_FIRST =
      Comparator.comparing(IncidentState::createdAt).thenComparing(IncidentState::name);

  private DedupPolicy() {}

  public static DedupDecision decide(List<IncidentState> incidents, Instant now) {
    List<IncidentState> ordered = incidents.stream().sorted(OLDEST_FIRST).toList();
    Optional<IncidentState> active = ordered.stream().filter(DedupPolicy::isActive).findFirst();
    if (active.isPresent()) {
      return new DedupDecision.FoldInto(active.get(), DedupDecision.Reason.ACTIVE);
    }
    Optional<IncidentState> review =
        ordered.stream().filter(i -> MANUAL_REVIEW_OUTCOME.equals(i.outcome())).findFirst();
    if (review.isPresent()) {
      return new DedupDecision.FoldInto(review.get(), DedupDecision.Reason.MANUAL_REVIEW);
    }
    Optional<IncidentState> backingOff =
        ordered.stream()
            .filter(i -> i.nextAllowedExecution().filter(now::isBefore).isPresent())
            .max(Comparator.comparing(i -> i.nextAllowedExecution().orElseThrow()));
    if (backingOff.isPresent()) {
      return new DedupDecision.FoldInto(backingOff.get(), DedupDecision.Reason.BACKOFF);
    }
    return new DedupDecision.CreateIncident();
  }

  public static boolean isActive(IncidentState incident) {
    return !TERMINAL_PHASES.contains(incident.phase());
  }
}
