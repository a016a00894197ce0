package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.metrics.AuditMetrics;
import ai.kubernaut.gateway.metrics.GatewayMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric names the documentation gives are the names the gateway serves, and all of them. */
class MetricsDocumentationTest {

  private static final Pattern NAME =
      Pattern.compile("\\b((?:gateway|audit)_[a-z0-9_]*[a-z0-9])\\b");
  private static final Pattern COUNTER =
      Pattern.compile("Counter\\.builder\\(\\s*\"([a-z0-9.]+)\"");
  private static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_sum", "_count", "_max");

  /** Named in the docs as Go Gateway metrics this gateway does not serve. */
  private static final Set<String> GO_METRICS_NOT_SERVED =
      Set.of("gateway_owner_resolution_total", "gateway_signals_parse_dropped_total");

  @TempDir Path dir;

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void everyDocumentedMetricIsServedAndEveryServedMetricIsDocumented() throws IOException {
    Set<String> served = served();
    Set<String> documented = documented();

    assertThat(documented)
        .as("metric names in the docs the gateway does not serve")
        .isSubsetOf(union(served, GO_METRICS_NOT_SERVED));
    assertThat(served)
        .as("metrics the gateway serves that no doc page names")
        .isSubsetOf(documented);
  }

  private Set<String> served() throws IOException {
    Set<String> names = new HashSet<>();
    MonitoredMetrics.ALL.stream()
        .filter(MonitoredMetrics.Metric::gateways)
        .map(MonitoredMetrics.Metric::name)
        .forEach(names::add);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AuditMetrics audit = new AuditMetrics(registry);
    try (Spool spool = Spool.open(dir, 1024 * 1024, Clock.systemUTC())) {
      audit.watch(spool);
      audit.watchDataStorage(() -> true);
      audit.watchDeadLetters(() -> 0);
      names.addAll(seriesNames(registry.scrape()));
    }
    try (GatewayMetrics gateway = new GatewayMetrics()) {
      names.addAll(seriesNames(gateway.scrape()));
    }
    names.addAll(countersInTheSource());
    return names;
  }

  /**
   * Counters registered by classes that only exist in a running gateway (connection protections,
   * discovery), by the names Prometheus gives them.
   */
  private static Set<String> countersInTheSource() throws IOException {
    Set<String> names = new HashSet<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = COUNTER.matcher(Files.readString(source));
        while (m.find()) {
          names.add(m.group(1).replace('.', '_') + "_total");
        }
      }
    }
    return names;
  }

  private static Set<String> seriesNames(String exposition) {
    Set<String> names = new HashSet<>();
    Arrays.stream(exposition.split("\n"))
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("[{ ]", 2)[0])
        .filter(name -> name.startsWith("gateway_") || name.startsWith("audit_"))
        .map(MetricsDocumentationTest::baseName)
        .forEach(names::add);
    return names;
  }

  private static Set<String> documented() throws IOException {
    Set<String> names = new HashSet<>();
    try (Stream<Path> pages = Files.list(Path.of("docs"))) {
      for (Path page : Stream.concat(pages, Stream.of(Path.of("README.md"))).toList()) {
        Matcher m = NAME.matcher(Files.readString(page));
        while (m.find()) {
          names.add(baseName(m.group(1)));
        }
      }
    }
    return names;
  }

  private static String baseName(String series) {
    for (String suffix : HISTOGRAM_SERIES) {
      if (series.endsWith(suffix)) {
        return series.substring(0, series.length() - suffix.length());
      }
    }
    return series;
  }
}
