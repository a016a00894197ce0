package ai.kubernaut.gateway.adapter.alertmanager;

/**
 * Recognises Grafana Alerting's webhook contact point among Alertmanager-format bodies. Grafana
 * sends the Alertmanager fields with {@code "version": "1"} and adds {@code orgId} (which
 * Alertmanager, at version 4, never sends); both must be present. Its signals keep Alertmanager's
 * source and signal type, which kubernaut's remediation pipeline expects, and only carry this
 * origin.
 */
final class GrafanaAlerting {

  /** The origin recorded on signals Grafana sent. */
  static final String ORIGIN = "grafana";

  private static final String VERSION = "1";

  private GrafanaAlerting() {}

  /** The origin of {@code message}: {@link #ORIGIN} for Grafana's webhook, else empty. */
  static String originOf(WebhookMessage message) {
    return VERSION.equals(message.version()) && message.orgId() != null ? ORIGIN : "";
  }
}
