package ai.kubernaut.gateway.adapter.alertmanager;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Alertmanager's webhook body, version 4, or Grafana Alerting's (version 1, the same fields plus
 * {@code orgId}, {@code state}, {@code title}, {@code message} and per-alert extras). Fields the
 * gateway does not use are still accepted; {@code orgId} is read as any JSON value, since only its
 * presence matters.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record WebhookMessage(
    String version,
    String groupKey,
    Integer truncatedAlerts,
    String status,
    String receiver,
    Map<String, String> groupLabels,
    Map<String, String> commonLabels,
    Map<String, String> commonAnnotations,
    String externalURL,
    List<Alert> alerts,
    Object orgId) {

  /** One alert of the webhook. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Alert(
      String status,
      Map<String, String> labels,
      Map<String, String> annotations,
      String startsAt,
      String endsAt,
      String generatorURL,
      String fingerprint) {}
}
