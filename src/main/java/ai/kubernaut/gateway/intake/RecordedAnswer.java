package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.ResourceRef;
import java.time.Instant;
import java.util.Optional;

/**
 * What a settled signal was answered, in the few fields its response bodies are built from. The
 * first answer and every replay of it are built from this same record, so they are alike; and it is
 * small enough that the redelivery memory can hold thousands within a byte budget.
 *
 * @param status the single-signal HTTP status: 201 created, 202 duplicate, 200 rejected or resolved
 * @param fingerprint empty for a rejection
 * @param incidentName the RemediationRequest, empty for a rejection and for a resolved alert
 *     without an active incident
 * @param count the occurrence count, for a resolved alert the active incident's (unchanged)
 * @param rejection the reason of a rejection, empty otherwise
 * @param target the resource a rejection names (its strings bounded), null otherwise
 * @param resolvedAlert the signal was a resolved alert, recorded without being counted
 */
record RecordedAnswer(
    int status,
    String fingerprint,
    String incidentName,
    String incidentNamespace,
    int count,
    Instant firstSeen,
    Instant lastSeen,
    String rejection,
    ResourceRef target,
    boolean resolvedAlert,
    boolean ownerUnknown) {

  /** Longest sender-controlled text a response repeats; the rest is cut. */
  static final int MAX_ECHO = 253;

  /** The answer to remember for an outcome; empty for failures and invalid signals. */
  static Optional<RecordedAnswer> of(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Created c -> Optional.of(incident(201, c.resolved().fingerprint().value(), c));
      case Outcome.Duplicate d -> Optional.of(incident(202, d.resolved().fingerprint().value(), d));
      case Outcome.Rejected r -> {
        ResourceRef t = r.resolved().target();
        yield Optional.of(
            new RecordedAnswer(
                200,
                "",
                "",
                "",
                0,
                null,
                null,
                r.reason(),
                new ResourceRef(
                    bounded(t.kind()),
                    bounded(t.name()),
                    bounded(t.namespace()),
                    bounded(t.apiVersion())),
                false,
                false));
      }
      case Outcome.Resolved r ->
          Optional.of(
              new RecordedAnswer(
                  200,
                  r.resolved().fingerprint().value(),
                  r.activeIncident().map(IncidentState::name).orElse(""),
                  r.activeIncident().map(IncidentState::namespace).orElse(""),
                  r.activeIncident().map(IncidentState::occurrenceCount).orElse(0),
                  null,
                  null,
                  "",
                  null,
                  true,
                  !r.ownerFound()));
      case Outcome.Invalid i -> Optional.empty();
      case Outcome.Failed f -> Optional.empty();
    };
  }

  private static RecordedAnswer incident(int status, String fingerprint, Outcome outcome) {
    IncidentState rr;
    ai.kubernaut.gateway.signal.OccurrenceCount o;
    if (outcome instanceof Outcome.Created c) {
      rr = c.incident();
      o = c.occurrences();
    } else {
      Outcome.Duplicate d = (Outcome.Duplicate) outcome;
      rr = d.incident();
      o = d.occurrences();
    }
    return new RecordedAnswer(
        status,
        fingerprint,
        rr.name(),
        rr.namespace(),
        o.count(),
        o.firstSeenAt(),
        o.lastSeenAt(),
        "",
        null,
        false,
        false);
  }

  /** A resolved alert whose fingerprint had an active incident. */
  boolean namesActiveIncident() {
    return resolvedAlert && !incidentName.isEmpty();
  }

  /** {@code text}, cut to {@link #MAX_ECHO} characters. */
  static String bounded(String text) {
    return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
  }

  /** A generous estimate of the heap this answer holds, for the redelivery memory's budget. */
  long estimatedBytes() {
    long bytes = 64 + chars(fingerprint) + chars(incidentName) + chars(incidentNamespace);
    bytes += firstSeen == null ? 0 : 2 * 24;
    if (target != null) {
      bytes +=
          32
              + chars(target.kind())
              + chars(target.name())
              + chars(target.namespace())
              + chars(target.apiVersion());
    }
    return bytes;
  }

  private static long chars(String s) {
    // a String object and its array; two bytes a character covers non-Latin-1 text
    return s.isEmpty() ? 0 : 40 + 2L * s.length();
  }
}
