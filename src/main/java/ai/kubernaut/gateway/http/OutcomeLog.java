package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.SignalObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per signal outcome, carrying the request id and the fingerprint as structured fields
 * (they become JSON fields with the JSON log format). Repeats log at DEBUG: a storm must not become
 * a log storm.
 */
public final class OutcomeLog implements SignalObserver {

  static final String REQUEST_ID = "request_id";
  static final String FINGERPRINT = "fingerprint";
  private static final Logger log = LoggerFactory.getLogger(OutcomeLog.class);

  @Override
  public void completed(Outcome outcome, RequestContext context) {
    String outerRequestId = MDC.get(REQUEST_ID);
    MDC.put(REQUEST_ID, context.requestId());
    MDC.put(FINGERPRINT, outcome.signal().map(s -> s.fingerprint().value()).orElse(""));
    try {
      switch (outcome) {
        case Outcome.Created c ->
            log.info(
                "{} {} opened {} for {}",
                c.inbound().source(),
                c.inbound().name(),
                c.incident().ref(),
                c.resolved().target().display());
        case Outcome.Duplicate d ->
            log.debug(
                "{} {} counted on {} (count {}, {})",
                d.inbound().source(),
                d.inbound().name(),
                d.incident().ref(),
                d.occurrences().count(),
                d.reason());
        case Outcome.Rejected r ->
            log.info(
                "{} {} rejected: {} {}",
                r.inbound().source(),
                r.inbound().name(),
                r.resolved().target().display(),
                r.reason());
        case Outcome.Invalid i ->
            log.info("{} {} invalid: {}", i.inbound().source(), i.inbound().name(), i.detail());
        case Outcome.Failed f ->
            log.warn(
                "{} {} not recorded ({}): {}",
                f.inbound().source(),
                f.inbound().name(),
                f.cause(),
                f.detail());
      }
    } finally {
      MDC.remove(FINGERPRINT);
      if (outerRequestId == null) {
        MDC.remove(REQUEST_ID);
      } else {
        MDC.put(REQUEST_ID, outerRequestId);
      }
    }
  }
}
