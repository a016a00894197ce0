package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.metrics.AuditMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit metrics the dashboard and alert rules use are the names the audit trail's meters get on
 * {@code /metrics}: the gateway test harness runs without DataStorage, so {@link
 * MonitoredMetricsIT} never sees the spool's meters.
 */
class AuditMetricNamesTest {

  @TempDir Path dir;

  @Test
  void everyDeclaredAuditMetricIsServedUnderItsName() throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AuditMetrics metrics = new AuditMetrics(registry);
    try (Spool spool = Spool.open(dir, 1024 * 1024, Clock.systemUTC())) {
      metrics.watch(spool);
      metrics.watchDataStorage(() -> true);
      metrics.watchDeadLetters(() -> 0);

      Set<String> served =
          Arrays.stream(registry.scrape().split("\n"))
              .filter(line -> !line.startsWith("#") && !line.isBlank())
              .map(line -> line.split("[{ ]", 2)[0])
              .collect(Collectors.toSet());

      assertThat(served)
          .containsAll(
              MonitoredMetrics.ALL.stream()
                  .filter(MonitoredMetrics.Metric::gateways)
                  .map(MonitoredMetrics.Metric::name)
                  .filter(name -> name.startsWith("audit_"))
                  .toList());
    }
  }
}
