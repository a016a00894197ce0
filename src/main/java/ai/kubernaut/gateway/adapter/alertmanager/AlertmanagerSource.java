package ai.kubernaut.gateway.adapter.alertmanager;

import ai.kubernaut.gateway.intake.PayloadLimits;
import ai.kubernaut.gateway.intake.Rejection;
import ai.kubernaut.gateway.intake.ReplayWindow;
import ai.kubernaut.gateway.intake.SignalSource;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Alertmanager's webhook route (Grafana Alerting's webhook contact point shares it). Every alert is
 * turned into a signal on its own, with the webhook's common labels and annotations merged over its
 * own, so one bad alert does not spoil the others.
 */
public final class AlertmanagerSource implements SignalSource<WebhookMessage> {

  public static final String SOURCE = "prometheus";
  public static final String PATH = "/api/v1/signals/prometheus";
  private static final String[] SHARED_MAPS = {"groupLabels", "commonLabels", "commonAnnotations"};
  private static final String DEFAULT_SEVERITY = "unknown";
  private static final String CLUSTER = "cluster";
  private static final String RESOLVED = "resolved";

  private final TargetCandidates targets;

  public AlertmanagerSource(ResourceKinds kinds) {
    this.targets = new TargetCandidates(kinds);
  }

  @Override
  public String name() {
    return SOURCE;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public Class<WebhookMessage> payloadType() {
    return WebhookMessage.class;
  }

  @Override
  public String description() {
    return "an Alertmanager webhook";
  }

  @Override
  public Optional<Rejection> exceedsLimits(WebhookMessage message, PayloadLimits limits) {
    List<WebhookMessage.Alert> alerts = message.alerts() == null ? List.of() : message.alerts();
    int maxAlerts = limits.config().maxAlerts();
    if (alerts.size() > maxAlerts) {
      return PayloadLimits.tooLarge(
          "Too many alerts: "
              + alerts.size()
              + " exceeds the limit of "
              + maxAlerts
              + " per webhook");
    }
    List<Map<String, String>> shared =
        List.of(
            orEmpty(message.groupLabels()),
            orEmpty(message.commonLabels()),
            orEmpty(message.commonAnnotations()));
    for (int i = 0; i < SHARED_MAPS.length; i++) {
      Optional<Rejection> r = limits.labels(shared.get(i), SHARED_MAPS[i]);
      if (r.isPresent()) {
        return r;
      }
    }
    for (int i = 0; i < alerts.size(); i++) {
      WebhookMessage.Alert alert = alerts.get(i);
      if (alert == null) {
        continue;
      }
      String where = "alerts[" + i + "]";
      Optional<Rejection> r =
          limits
              .labels(alert.labels(), where + ".labels")
              .or(() -> limits.labels(alert.annotations(), where + ".annotations"));
      if (r.isPresent()) {
        return r;
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean checksTimestampHeader() {
    return true;
  }

  /**
   * A stamped webhook was checked by its {@code X-Timestamp}; without one the newest {@code
   * startsAt} must not be in the future. Old is fine: a long-firing alert re-notifies with its
   * first start.
   */
  @Override
  public Optional<Rejection> stale(WebhookMessage message, ReplayWindow window) {
    if (window.stamped()) {
      return Optional.empty();
    }
    Optional<Instant> latest =
        (message.alerts() == null ? List.<WebhookMessage.Alert>of() : message.alerts())
            .stream()
                .filter(Objects::nonNull)
                .map(a -> ReplayWindow.time(a.startsAt()))
                .flatMap(Optional::stream)
                .max(Instant::compareTo);
    if (latest.isEmpty()) {
      return ReplayWindow.stale("alert payload missing startsAt timestamp");
    }
    if (window.inFuture(latest.get())) {
      return ReplayWindow.stale("alert startsAt in future: possible clock skew attack");
    }
    return Optional.empty();
  }

  @Override
  public List<ParsedSignal> signals(WebhookMessage message, byte[] body, Instant receivedAt) {
    if (message.alerts() == null || message.alerts().isEmpty()) {
      throw new InvalidPayloadException("webhook contains no alerts");
    }
    String rawBody = new String(body, StandardCharsets.UTF_8);
    String origin = GrafanaAlerting.originOf(message);
    return message.alerts().stream()
        .map(alert -> toSignal(message, alert, rawBody, receivedAt, origin))
        .toList();
  }

  private ParsedSignal toSignal(
      WebhookMessage message,
      WebhookMessage.Alert alert,
      String payload,
      Instant receivedAt,
      String origin) {
    if (alert == null) {
      return new ParsedSignal.Invalid("alert must be an object");
    }
    Map<String, String> labels = merged(alert.labels(), message.commonLabels());
    Map<String, String> annotations = merged(alert.annotations(), message.commonAnnotations());
    String alertName = labels.getOrDefault("alertname", "");
    if (alertName.isBlank()) {
      return new ParsedSignal.Invalid("alertname label is required");
    }
    Instant firingTime;
    try {
      firingTime = startsAt(alert.startsAt(), receivedAt);
    } catch (DateTimeParseException e) {
      return new ParsedSignal.Invalid(
          "alert " + alertName + " has an invalid startsAt: " + alert.startsAt());
    }
    String severity = labels.getOrDefault("severity", "");
    String cluster = clusterOf(message.commonLabels(), alert.labels());
    return new ParsedSignal.Accepted(
        new InboundSignal(
            SOURCE,
            alertName,
            severity.isEmpty() ? DEFAULT_SEVERITY : severity,
            cluster,
            targets.from(labels),
            labels,
            annotations,
            firingTime,
            receivedAt,
            payload,
            resolved(alert.status() == null ? message.status() : alert.status()),
            origin));
  }

  private static boolean resolved(String status) {
    return RESOLVED.equalsIgnoreCase(status);
  }

  /**
   * The webhook's common {@code cluster} label when present and non-empty, else the alert's own:
   * Alertmanager drops a label from the common labels when the alerts of a group differ in it, so
   * one webhook can carry alerts of several clusters.
   */
  static String clusterOf(Map<String, String> common, Map<String, String> own) {
    String shared = common == null ? null : common.get(CLUSTER);
    if (shared != null && !shared.isEmpty()) {
      return shared;
    }
    String alerts = own == null ? null : own.get(CLUSTER);
    return alerts == null ? "" : alerts;
  }

  /** Alertmanager's zero time and a missing value both mean "not known". */
  private static Instant startsAt(String text, Instant receivedAt) {
    if (text == null || text.isBlank()) {
      return receivedAt;
    }
    Instant parsed = Rfc3339.parse(text);
    return parsed.getEpochSecond() <= 0 ? receivedAt : parsed;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static Map<String, String> merged(Map<String, String> own, Map<String, String> common) {
    Map<String, String> merged = new HashMap<>();
    if (own != null) {
      merged.putAll(own);
    }
    if (common != null) {
      merged.putAll(common);
    }
    merged.values().removeIf(v -> v == null);
    return merged;
  }
}
