package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics {@link MonitoredMetrics} declares for the dashboard and the alert rules, checked
 * against what a running gateway really serves on {@code /metrics}: the same names and labels.
 */
class MonitoredMetricsIT {

  private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})?\\s");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  @TempDir Path dir;

  @Test
  void theGatewayServesTheDeclaredMetricsWithTheDeclaredLabels() {
    Map<String, Set<String>> served;
    try (MockCluster cluster = MockCluster.start()) {
      cluster.managedNamespace("demo");
      String pod = cluster.deploymentWithPod("demo", "checkout", Map.of());
      try (GatewayHarness gateway = GatewayHarness.start(cluster, dir)) {
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
        gateway.post(
            AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/resolved-with-cluster.json"));
        gateway.post(
            AlertmanagerSource.PATH,
            """
            {"alerts":[{"status":"resolved","labels":{"alertname":"CheckoutDown",\
            "namespace":"demo","pod":"%s"},"startsAt":"2026-11-21T10:00:00Z"}]}"""
                .formatted(pod));
        served = labelsByMetric(gateway.metrics().body());
      }
    }

    served.forEach(
        (name, labels) ->
            assertThat(labels)
                .as("labels of %s", name)
                .isEqualTo(MonitoredMetrics.forSeries(name).orElseThrow().labels()));
    assertThat(served.keySet())
        .contains(
            "gateway_signals_received_total",
            "gateway_crds_created_total",
            "gateway_http_request_duration_seconds",
            "gateway_circuit_breaker_state",
            "gateway_dedup_decisions_total",
            "gateway_group_commit_signals",
            "gateway_kube_api_requests_total",
            "gateway_incident_claims_total",
            "gateway_signals_resolved_total");
  }

  /** Label names per declared gateway metric found in the exposition. */
  private static Map<String, Set<String>> labelsByMetric(String exposition) {
    Map<String, Set<String>> labels = new HashMap<>();
    for (String line : exposition.split("\n")) {
      Matcher series = SERIES.matcher(line);
      if (line.startsWith("#") || !series.find()) {
        continue;
      }
      MonitoredMetrics.forSeries(series.group(1))
          .filter(MonitoredMetrics.Metric::gateways)
          .ifPresent(
              metric -> {
                Set<String> names = new HashSet<>(labelNames(series.group(2)));
                names.remove("le");
                labels.merge(
                    metric.name(),
                    names,
                    (a, b) -> {
                      a.addAll(b);
                      return a;
                    });
              });
    }
    return labels;
  }

  private static Set<String> labelNames(String braces) {
    if (braces == null) {
      return Set.of();
    }
    Matcher m = LABEL.matcher(braces);
    return Arrays.stream(m.results().map(r -> r.group(1)).toArray(String[]::new))
        .collect(Collectors.toSet());
  }
}
