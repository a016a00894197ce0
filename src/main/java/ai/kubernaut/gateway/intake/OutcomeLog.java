package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.SignalObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per signal outcome, carrying the request id and the fingerprint as structured fields
 * (they become JSON fields with the JSON log format). Repeats log at DEBUG: a storm must not become
 * a log storm. Text the sender chose (names, labels, details) is logged escaped and cut: in the
 * console format a line break in an alert name would otherwise forge a log line.
 */
public final class OutcomeLog implements SignalObserver {

  public static final String REQUEST_ID = "request_id";
  static final String FINGERPRINT = "fingerprint";
  static final String ORIGIN = "signal_origin";
  private static final Logger log = LoggerFactory.getLogger(OutcomeLog.class);

  @Override
  public void completed(Outcome outcome, RequestContext context) {
    String outerRequestId = MDC.get(REQUEST_ID);
    MDC.put(REQUEST_ID, context.requestId());
    MDC.put(FINGERPRINT, outcome.signal().map(s -> s.fingerprint().value()).orElse(""));
    String origin = outcome.inbound().origin();
    if (!origin.isEmpty()) {
      MDC.put(ORIGIN, origin);
    }
    try {
      switch (outcome) {
        case Outcome.Created c ->
            log.info(
                "{} {} opened {} for {}",
                c.inbound().source(),
                safe(c.inbound().name()),
                c.incident().ref(),
                safe(c.resolved().target().display()));
        case Outcome.Duplicate d ->
            log.debug(
                "{} {} counted on {} (count {}, {})",
                d.inbound().source(),
                safe(d.inbound().name()),
                d.incident().ref(),
                d.occurrences().count(),
                d.reason());
        case Outcome.Rejected r ->
            log.info(
                "{} {} rejected: {} {}",
                r.inbound().source(),
                safe(r.inbound().name()),
                safe(r.resolved().target().display()),
                r.reason());
        case Outcome.Resolved r ->
            log.info(
                "{} {} resolved, not counted: {}",
                r.inbound().source(),
                safe(r.inbound().name()),
                r.ownerFound()
                    ? r.activeIncident()
                        .map(
                            i ->
                                "active incident "
                                    + i.ref()
                                    + " keeps count "
                                    + i.occurrenceCount())
                        .orElse("no active incident for " + safe(r.resolved().target().display()))
                    : "target "
                        + safe(r.resolved().target().display())
                        + " is gone, its workload unknown");
        case Outcome.Invalid i ->
            log.info(
                "{} {} invalid: {}",
                i.inbound().source(),
                safe(i.inbound().name()),
                safe(i.detail()));
        case Outcome.Failed f ->
            log.warn(
                "{} {} not recorded ({}): {}",
                f.inbound().source(),
                safe(f.inbound().name()),
                f.cause(),
                safe(f.detail()));
      }
    } finally {
      MDC.remove(FINGERPRINT);
      MDC.remove(ORIGIN);
      if (outerRequestId == null) {
        MDC.remove(REQUEST_ID);
      } else {
        MDC.put(REQUEST_ID, outerRequestId);
      }
    }
  }

  /**
   * {@code text} on one line: control characters and Unicode line breaks become {@code \\uXXXX}
   * escapes (a backslash is doubled so an escape cannot be faked), cut to a bounded length.
   */
  static String safe(String text) {
    String bounded = RecordedAnswer.bounded(text);
    StringBuilder out = new StringBuilder(bounded.length());
    for (int i = 0; i < bounded.length(); i++) {
      char c = bounded.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
