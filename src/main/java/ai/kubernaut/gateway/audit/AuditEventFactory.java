package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns signal outcomes into the Go Gateway's audit events: a new incident yields {@code
 * gateway.signal.received} and {@code gateway.crd.created}, a repeat yields {@code
 * gateway.signal.deduplicated}, a failed creation yields {@code gateway.crd.failed}, a resolved
 * alert yields {@code gateway.signal.received} with the action {@code resolved} (see {@link
 * #resolved}). Scope rejections and invalid signals are not audited. Configuration reloads have
 * their own events.
 *
 * <p>Each event's {@code event_timestamp} has microseconds (what DataStorage stores) and is never
 * the same twice from one factory, so {@code event_type}, {@code correlation_id} and {@code
 * event_timestamp} together identify an event: DataStorage's envelope has no field for an id the
 * sender chooses and every payload is closed, so consumers drop redelivered copies by that key.
 */
public final class AuditEventFactory {

  static final String RECEIVED = "gateway.signal.received";
  static final String CREATED = "gateway.crd.created";
  static final String DEDUPLICATED = "gateway.signal.deduplicated";
  static final String FAILED = "gateway.crd.failed";
  static final String CONFIG_RELOADED = "gateway.config.reloaded";
  static final String CONFIG_REJECTED = "gateway.config.rejected";
  static final String RESOLVED_ACTION = "resolved";
  static final String RESOLVED_CORRELATION_PREFIX = "resolved-";

  private static final String VERSION = "1.0";
  private static final String CATEGORY = "gateway";
  private static final int MAX_CORRELATION_ID = 255;

  private final UniqueTimestamps timestamps;
  private final SignalEventData eventData;

  public AuditEventFactory(ObjectMapper json, Clock clock) {
    this.timestamps = new UniqueTimestamps(clock);
    this.eventData = new SignalEventData(json);
  }

  public List<AuditEvent> eventsFor(Outcome outcome, RequestContext context) {
    return switch (outcome) {
      case Outcome.Created c -> List.of(received(c, context), created(c));
      case Outcome.Duplicate d -> List.of(deduplicated(d, context));
      case Outcome.Resolved r -> List.of(resolved(r, context));
      case Outcome.Failed f when f.signal().isPresent() -> List.of(failed(f, f.signal().get()));
      default -> List.of();
    };
  }

  private AuditEvent received(Outcome.Created c, RequestContext context) {
    Map<String, Object> data = SignalEventData.common(RECEIVED, c.resolved());
    SignalEventData.putSeverity(data, c.resolved());
    SignalEventData.putResource(data, c.resolved());
    data.put("remediation_request", c.incident().ref());
    data.put("deduplication_status", "new");
    eventData.putPayloadAndMaps(data, c.resolved().details());
    return envelope(
        RECEIVED,
        "received",
        "success",
        context.actorType(),
        context.actorId(),
        "Signal",
        c.resolved().fingerprint().value(),
        c.incident().name(),
        c.resolved(),
        data);
  }

  /**
   * A resolved alert. DataStorage accepts no event type beyond its four gateway types, so this is
   * {@code gateway.signal.received}, told apart by its action {@code resolved}; it has no {@code
   * deduplication_status} (whose values, new and duplicate, both mean counted). Its correlation id
   * is never a RemediationRequest's name: DataStorage rebuilds a RemediationRequest from the {@code
   * gateway.signal.received} events of its name, the latest winning, and a resolution must not
   * replace the alert that opened it.
   */
  private AuditEvent resolved(Outcome.Resolved r, RequestContext context) {
    Map<String, Object> data = SignalEventData.common(RECEIVED, r.resolved());
    SignalEventData.putSeverity(data, r.resolved());
    SignalEventData.putResource(data, r.resolved());
    r.activeIncident().ifPresent(i -> data.put("remediation_request", i.ref()));
    eventData.putPayloadAndMaps(data, r.resolved().details());
    return envelope(
        RECEIVED,
        RESOLVED_ACTION,
        "success",
        context.actorType(),
        context.actorId(),
        "Signal",
        r.resolved().fingerprint().value(),
        RESOLVED_CORRELATION_PREFIX + r.resolved().fingerprint().value(),
        r.resolved(),
        data);
  }

  private AuditEvent created(Outcome.Created c) {
    Map<String, Object> data = SignalEventData.common(CREATED, c.resolved());
    SignalEventData.putSeverity(data, c.resolved());
    SignalEventData.putResource(data, c.resolved());
    data.put("remediation_request", c.incident().ref());
    data.put("occurrence_count", c.occurrences().count());
    return envelope(
        CREATED,
        "created",
        "success",
        "gateway",
        "crd-creator",
        "RemediationRequest",
        c.incident().ref(),
        c.incident().name(),
        c.resolved(),
        data);
  }

  private AuditEvent deduplicated(Outcome.Duplicate d, RequestContext context) {
    IncidentState incident = d.incident();
    Map<String, Object> data = SignalEventData.common(DEDUPLICATED, d.resolved());
    data.put("remediation_request", incident.ref());
    data.put("deduplication_status", "duplicate");
    data.put("occurrence_count", d.occurrences().count());
    eventData.putPayloadAndMaps(data, d.resolved().details());
    return envelope(
        DEDUPLICATED,
        "deduplicated",
        "success",
        context.actorType(),
        context.actorId(),
        "Signal",
        d.resolved().fingerprint().value(),
        incident.name(),
        d.resolved(),
        data);
  }

  private AuditEvent failed(Outcome.Failed f, Signal signal) {
    Map<String, Object> data = SignalEventData.common(FAILED, signal);
    SignalEventData.putSeverity(data, signal);
    SignalEventData.putResource(data, signal);
    ErrorCodes.Code code = ErrorCodes.of(f.apiError());
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", f.detail());
    error.put("code", code.code());
    error.put("component", "gateway");
    error.put("retry_possible", code.retryPossible());
    data.put("error_details", error);
    String readableId =
        signal.name()
            + ":"
            + signal.namespace()
            + ":"
            + signal.target().kind()
            + ":"
            + signal.target().name();
    return envelope(
        FAILED,
        "failed",
        "failure",
        "gateway",
        "crd-creator",
        "RemediationRequest",
        readableId,
        readableId,
        signal,
        data);
  }

  /** {@code gateway.config.reloaded}: a hot reload of {@code component} was applied. */
  public AuditEvent configReloaded(String component, Optional<String> configVersion) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("event_type", CONFIG_RELOADED);
    data.put("component", component);
    configVersion.ifPresent(v -> data.put("config_version", v));
    return configEvent(CONFIG_RELOADED, "reloaded", "success", component, data);
  }

  /** {@code gateway.config.rejected}: a hot reload was refused and the old config kept. */
  public AuditEvent configRejected(String component, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("event_type", CONFIG_REJECTED);
    data.put("component", component);
    data.put("rejection_reason", reason);
    return configEvent(CONFIG_REJECTED, "rejected", "failure", component, data);
  }

  private AuditEvent configEvent(
      String type, String action, String outcome, String component, Map<String, Object> data) {
    Instant now = timestamps.next();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return new AuditEvent(
        VERSION,
        timestamp(now),
        CATEGORY,
        type,
        action,
        outcome,
        "service",
        "gateway",
        "Config",
        component,
        correlation("config-reload-" + component + "-" + nanos),
        null,
        null,
        data);
  }

  private AuditEvent envelope(
      String type,
      String action,
      String outcome,
      String actorType,
      String actorId,
      String resourceType,
      String resourceId,
      String correlationId,
      Signal signal,
      Map<String, Object> data) {
    String cluster = signal.details().clusterId();
    return new AuditEvent(
        VERSION,
        timestamp(timestamps.next()),
        CATEGORY,
        type,
        action,
        outcome,
        actorType,
        actorId,
        resourceType,
        resourceId,
        correlation(correlationId),
        signal.namespace().isEmpty() ? null : signal.namespace(),
        cluster.isEmpty() ? null : cluster,
        data);
  }

  private static String timestamp(Instant instant) {
    return instant.toString();
  }

  /** DataStorage accepts correlation ids of 1 to 255 characters. */
  private static String correlation(String id) {
    return id.length() <= MAX_CORRELATION_ID ? id : id.substring(0, MAX_CORRELATION_ID);
  }
}
