package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.AuditNotRecordedException;
import ai.kubernaut.gateway.signal.AuditTrail;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each outcome's audit events to the spool and returns only once they are on disk, so a
 * signal is answered 2xx only after its events are durable. With {@code onFull: reject} the spool
 * always takes the events of signals already admitted (new ones are refused at the door, see {@link
 * #refusal}); with {@code onFull: drop} events are dropped and counted while the spool is full.
 */
public final class SpooledAuditTrail implements AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(SpooledAuditTrail.class);

  private final Spool spool;
  private final AuditEventFactory events;
  private final ObjectMapper json;
  private final GatewayConfig.OnFull onFull;
  private final AuditTelemetry telemetry;
  private volatile boolean droppingLogged;

  public SpooledAuditTrail(
      Spool spool,
      AuditEventFactory events,
      ObjectMapper json,
      GatewayConfig.OnFull onFull,
      AuditTelemetry telemetry) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.events = Objects.requireNonNull(events, "events");
    this.json = Objects.requireNonNull(json, "json");
    this.onFull = Objects.requireNonNull(onFull, "onFull");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
  }

  @Override
  public void record(Outcome outcome, RequestContext context) {
    append(events.eventsFor(outcome, context));
  }

  /** Spools an event that is not about a signal, such as a configuration reload. */
  public void record(AuditEvent event) {
    append(List.of(event));
  }

  private void append(List<AuditEvent> batch) {
    if (batch.isEmpty()) {
      return;
    }
    if (onFull == GatewayConfig.OnFull.DROP && (spool.full() || spool.failure().isPresent())) {
      drop(batch.size(), spool.failure().orElse("audit spool is full"));
      return;
    }
    List<byte[]> payloads = new ArrayList<>(batch.size());
    for (AuditEvent event : batch) {
      payloads.add(serialise(event));
    }
    try {
      spool.awaitDurable(spool.append(payloads));
      telemetry.spooled(payloads.size());
      droppingLogged = false;
    } catch (IOException e) {
      // Even in drop mode: these events may or may not be on disk, so the sender must retry; its
      // retry finds the spool failed and is dropped and counted.
      throw new AuditNotRecordedException("audit events could not be written to the spool", e);
    }
  }

  /**
   * Why new signals must be refused now: the spool is full and full means reject, or the spool's
   * disk failed. Empty while signals may be accepted.
   */
  public Optional<String> refusal() {
    Optional<String> failure = spool.failure();
    if (failure.isPresent()) {
      return onFull == GatewayConfig.OnFull.REJECT ? failure : Optional.empty();
    }
    if (onFull == GatewayConfig.OnFull.REJECT && spool.full()) {
      return Optional.of(
          "Audit spool is full ("
              + spool.usedBytes()
              + " of "
              + spool.maxBytes()
              + " bytes); signals are accepted again once DataStorage takes the backlog");
    }
    return Optional.empty();
  }

  private void drop(int count, String why) {
    telemetry.dropped(count);
    if (!droppingLogged) {
      droppingLogged = true;
      log.warn("dropping audit events ({}); counted in audit_events_dropped_total", why);
    }
  }

  private byte[] serialise(AuditEvent event) {
    try {
      return json.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit events always serialise", e);
    }
  }
}
