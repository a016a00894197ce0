package ai.kubernaut.gateway.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The metrics the Grafana dashboard and the alert rules under {@code deploy/monitoring} may use:
 * the gateway's (names, types and labels of the Go Gateway, plus ours) and the few they take from
 * Prometheus' other exporters. A dashboard or rule naming anything else fails {@link
 * MonitoringManifestsTest}.
 */
final class MonitoredMetrics {

  enum Type {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  /** A metric, its labels, and whether the gateway itself exports it. */
  record Metric(String name, Type type, Set<String> labels, boolean gateways) {}

  /** Labels Prometheus adds to every scraped series (Prometheus Operator target labels). */
  static final Set<String> TARGET_LABELS =
      Set.of("namespace", "pod", "job", "instance", "service", "container", "endpoint");

  static final List<Metric> ALL =
      List.of(
          gateway("gateway_signals_received_total", Type.COUNTER, "source_type", "severity"),
          gateway("gateway_signals_deduplicated_total", Type.COUNTER, "signal_name"),
          gateway("gateway_crds_created_total", Type.COUNTER, "source_type", "status"),
          gateway("gateway_crd_creation_errors_total", Type.COUNTER, "error_type"),
          gateway(
              "gateway_http_request_duration_seconds",
              Type.HISTOGRAM,
              "endpoint",
              "method",
              "status"),
          gateway("gateway_circuit_breaker_state", Type.GAUGE, "name"),
          gateway("gateway_signals_rejected_total", Type.COUNTER, "reason"),
          gateway("audit_events_dropped_total", Type.COUNTER, "service"),
          // Ours, not in the Go Gateway.
          gateway("gateway_dedup_decisions_total", Type.COUNTER, "decision"),
          gateway("gateway_group_commit_signals", Type.HISTOGRAM),
          gateway("gateway_signals_redelivered_total", Type.COUNTER, "source_type"),
          gateway("gateway_signals_resolved_total", Type.COUNTER, "source_type", "active_incident"),
          gateway("gateway_kube_api_requests_total", Type.COUNTER, "verb", "resource", "code"),
          gateway("gateway_incident_claims_total", Type.COUNTER, "outcome"),
          gateway("audit_spool_bytes", Type.GAUGE),
          gateway("audit_spool_oldest_pending_age_seconds", Type.GAUGE),
          gateway("audit_spool_max_bytes", Type.GAUGE),
          gateway("audit_spool_failed", Type.GAUGE),
          gateway("audit_datastorage_reachable", Type.GAUGE),
          gateway("audit_events_dead_lettered_total", Type.COUNTER),
          gateway("audit_events_lost_total", Type.COUNTER),
          gateway("audit_dead_letter_bytes", Type.GAUGE),
          // kube-state-metrics.
          new Metric(
              "kube_deployment_status_replicas_available",
              Type.GAUGE,
              Set.of("deployment"),
              false));

  private static final Map<String, Metric> BY_NAME =
      ALL.stream().collect(Collectors.toMap(Metric::name, Function.identity()));

  private MonitoredMetrics() {}

  /**
   * The declared metric a series name belongs to: histograms expose {@code _bucket}, {@code _sum}
   * and {@code _count} series.
   */
  static Optional<Metric> forSeries(String series) {
    Metric exact = BY_NAME.get(series);
    if (exact != null) {
      return Optional.of(exact);
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (series.endsWith(suffix)) {
        Metric base = BY_NAME.get(series.substring(0, series.length() - suffix.length()));
        if (base != null && base.type() == Type.HISTOGRAM) {
          return Optional.of(base);
        }
      }
    }
    return Optional.empty();
  }

  private static Metric gateway(String name, Type type, String... labels) {
    return new Metric(name, type, Set.of(labels), true);
  }
}
