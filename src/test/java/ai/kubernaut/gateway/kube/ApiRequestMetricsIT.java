package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway_kube_api_requests_total} against the API server's own request log: every request
 * the gateway sends, retries included, is counted once under the verb and resource it names.
 */
class ApiRequestMetricsIT {

  private static final String RR_PATH =
      "/apis/kubernaut.ai/v1alpha1/namespaces/kubernaut-system/remediationrequests";
  private static final Pattern SERIES =
      Pattern.compile(
          "gateway_kube_api_requests_total\\{code=\"([^\"]*)\",resource=\"([^\"]*)\","
              + "verb=\"([^\"]*)\"} ([0-9.eE+-]+)");

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;
  FaultDispatcher server;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway = GatewayHarness.start(cluster, dir);
    server = cluster.faults();
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void countsEveryRequestTheApiServerSawByVerbAndResource() {
    Map<Series, Double> before = scrape();
    server.forgetSeen();
    server.failExactly("POST", RR_PATH, 503, 1);

    List<Integer> statuses =
        List.of("firing-pod.json", "firing-pod-again.json", "firing-pod-again.json").stream()
            .map(f -> gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/" + f)))
            .map(r -> r.statusCode())
            .toList();

    assertThat(statuses).containsExactly(201, 202, 202);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(byVerbAndResource(delta(before, scrape()))).isEqualTo(serverLog()));
    assertThat(delta(before, scrape()))
        .containsEntry(new Series("create", "remediationrequests", "503"), 1.0)
        .containsEntry(new Series("create", "remediationrequests", "201"), 1.0);
  }

  @Test
  void informerListsAndWatchesAreCounted() {
    Map<Series, Double> counted = scrape();

    assertThat(counted.keySet())
        .contains(
            new Series("list", "remediationrequests", "200"),
            new Series("watch", "remediationrequests", "101"),
            new Series("list", "pods", "200"));
  }

  @Test
  void aCreateThatLosesTheNameIsCountedAsContention() {
    server.failExactly("POST", RR_PATH, 409, 1);

    int status =
        gateway
            .post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"))
            .statusCode();

    assertThat(status).isEqualTo(201);
    String metrics = gateway.metrics().body();
    assertThat(metrics)
        .contains("gateway_incident_claims_total{outcome=\"contended\"} 1.0")
        .contains("gateway_incident_claims_total{outcome=\"acquired\"} 1.0");
  }

  private Map<String, Double> serverLog() {
    return server.seen().stream()
        .map(
            s ->
                ApiRequestKind.of(
                    s.method(),
                    URI.create(s.path() + (s.query().isEmpty() ? "" : "?" + s.query()))))
        .collect(
            Collectors.groupingBy(
                k -> k.verb() + " " + k.resource(), Collectors.summingDouble(k -> 1.0)));
  }

  private static Map<String, Double> byVerbAndResource(Map<Series, Double> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .collect(
            Collectors.groupingBy(
                e -> e.getKey().verb() + " " + e.getKey().resource(),
                Collectors.summingDouble(Map.Entry::getValue)));
  }

  private static Map<Series, Double> delta(Map<Series, Double> before, Map<Series, Double> after) {
    Map<Series, Double> delta = new HashMap<>();
    after.forEach((series, value) -> delta.put(series, value - before.getOrDefault(series, 0.0)));
    delta.values().removeIf(v -> v == 0);
    return delta;
  }

  private Map<Series, Double> scrape() {
    Map<Series, Double> counts = new HashMap<>();
    Matcher m = SERIES.matcher(gateway.metrics().body());
    while (m.find()) {
      counts.put(new Series(m.group(3), m.group(2), m.group(1)), Double.parseDouble(m.group(4)));
    }
    return counts;
  }

  private record Series(String verb, String resource, String code) {}
}
