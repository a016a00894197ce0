package ai.kubernaut.gateway.adapter.alertmanager;

import ai.kubernaut.gateway.adapter.JsonPayload;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.Rfc3339;
import ai.kubernaut.gateway.signal.SignalAdapter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Alertmanager webhooks: every alert is parsed on its own, with the webhook's common labels
 * and annotations merged over its own, so one bad alert does not spoil the others.
 */
public final class AlertmanagerAdapter implements SignalAdapter {

  public static final String SOURCE = "prometheus";
  private static final String DEFAULT_SEVERITY = "unknown";
  private static final String CLUSTER = "cluster";
  private static final String RESOLVED = "resolved";

  private final JsonPayload payload;
  private final TargetCandidates targets;

  public AlertmanagerAdapter(ObjectMapper json, ResourceKinds kinds) {
    this.payload = new JsonPayload(json);
    this.targets = new TargetCandidates(kinds);
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public List<ParsedSignal> parse(byte[] body, Instant receivedAt) {
    WebhookMessage message = payload.read(body, WebhookMessage.class, "an Alertmanager webhook");
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
