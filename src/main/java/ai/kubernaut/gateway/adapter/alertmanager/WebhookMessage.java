package ai.kubernaut.gateway.adapter.alertmanager;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/** Alertmanager's webhook body, version 4. Fields the gateway does not use are still accepted. */
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
    List<Alert> alerts) {

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
