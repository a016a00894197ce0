package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the alert rules name only metrics and labels of {@link
 * MonitoredMetrics}, and the dashboard shows every metric the gateway exports.
 */
class MonitoringManifestsTest {

  private static final Path MONITORING =
      Path.of(System.getProperty("basedir", ".")).resolve("deploy/monitoring");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,\\s*(\\w+)\\s*\\)");
  private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

  private static JsonNode dashboard() throws IOException {
    return new ObjectMapper()
        .readTree(MONITORING.resolve("kubernaut-gateway-dashboard.json").toFile());
  }

  private static JsonNode rules() throws IOException {
    return new ObjectMapper(new YAMLFactory())
        .readTree(MONITORING.resolve("prometheusrule.yaml").toFile());
  }

  /** Each query of the dashboard with its legend, including the template variables' queries. */
  private static Map<String, String> dashboardQueries() throws IOException {
    Map<String, String> queries = new java.util.LinkedHashMap<>();
    for (JsonNode panel : dashboard().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(target.path("expr").asText(), target.path("legendFormat").asText());
      }
    }
    for (JsonNode variable : dashboard().path("templating").path("list")) {
      Matcher query = LABEL_VALUES.matcher(variable.path("definition").asText());
      if (query.find()) {
        queries.put(query.group(1) + "{" + query.group(2) + "=\"\"}", "");
      }
    }
    return queries;
  }

  private static List<String> ruleExpressions() throws IOException {
    List<String> expressions = new ArrayList<>();
    for (JsonNode group : rules().path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        expressions.add(rule.path("expr").asText());
      }
    }
    return expressions;
  }

  @Test
  void dashboardAndRulesNameOnlyDeclaredMetricsAndTheirLabels() throws IOException {
    Map<String, String> queries = dashboardQueries();
    ruleExpressions().forEach(e -> queries.put(e, ""));

    assertThat(queries).hasSizeGreaterThan(10);
    queries.forEach(
        (expression, legend) -> {
          PromQl parsed = PromQl.parse(expression);
          assertThat(parsed.series()).as("series in %s", expression).isNotEmpty();
          Set<String> allowed = new HashSet<>(MonitoredMetrics.TARGET_LABELS);
          for (String series : parsed.series()) {
            MonitoredMetrics.Metric metric =
                MonitoredMetrics.forSeries(series)
                    .orElseThrow(
                        () ->
                            new AssertionError(
                                series + " (in " + expression + ") is not in MonitoredMetrics"));
            allowed.addAll(metric.labels());
            if (metric.type() == MonitoredMetrics.Type.HISTOGRAM) {
              allowed.add("le");
            }
          }
          Set<String> used = new HashSet<>(parsed.labels());
          Matcher legendLabels = LEGEND_LABEL.matcher(legend);
          while (legendLabels.find()) {
            used.add(legendLabels.group(1));
          }
          assertThat(allowed).as("labels of %s", expression).containsAll(used);
        });
  }

  @Test
  void dashboardShowsEveryMetricTheGatewayExports() throws IOException {
    Set<String> shown = new HashSet<>();
    dashboardQueries().keySet().stream()
        .flatMap(e -> PromQl.parse(e).series().stream())
        .forEach(s -> MonitoredMetrics.forSeries(s).ifPresent(m -> shown.add(m.name())));

    assertThat(shown)
        .containsAll(
            MonitoredMetrics.ALL.stream()
                .filter(MonitoredMetrics.Metric::gateways)
                .map(MonitoredMetrics.Metric::name)
                .toList());
  }

  @Test
  void everyPanelUsesTheDataSourceVariableAndHasItsOwnId() throws IOException {
    List<Integer> ids = new ArrayList<>();
    for (JsonNode panel : dashboard().path("panels")) {
      ids.add(panel.path("id").asInt());
      if (!panel.path("type").asText().equals("row")) {
        assertThat(panel.path("datasource").path("uid").asText())
            .as("data source of panel %s", panel.path("title").asText())
            .isEqualTo("${datasource}");
        assertThat(panel.path("targets")).as("queries of %s", panel.path("title")).isNotEmpty();
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void everyAlertSaysHowBadAndWhatHappened() throws IOException {
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rules().path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.add(rule.path("alert").asText());
        assertThat(rule.path("labels").path("severity").asText())
            .as("severity of %s", rule.path("alert"))
            .isIn("warning", "critical");
        assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
        assertThat(rule.path("annotations").path("description").asText()).isNotBlank();
      }
    }
    assertThat(alerts)
        .contains(
            "KubernautGatewayErrorRatioHigh",
            "KubernautGatewayAuditBacklogOld",
            "KubernautGatewayAuditDataStorageNotAccepting",
            "KubernautGatewayAuditDeadLetterFileFilling",
            "KubernautGatewayAuditEventsLost",
            "KubernautGatewayAuditSpoolDiskError",
            "KubernautGatewayCircuitBreakerOpen",
            "KubernautGatewayNoReadyReplicas");
  }
}
