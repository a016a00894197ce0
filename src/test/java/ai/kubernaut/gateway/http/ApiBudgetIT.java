package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts the requests the API server receives for fixed scenarios and fails when a signal costs
 * more than its budget. Counts, not times.
 */
class ApiBudgetIT {

  static final String RR_PATH = MockCluster.RR_PATH;

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;
  FaultDispatcher server;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway = GatewayHarness.start(cluster, dir, "server:\n  maxConcurrentRequests: 1000\n");
    server = cluster.faults();
    server.forgetSeen();
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void aDuplicateCostsOneRemediationRequestWrite() {
    gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
    awaitCacheCaughtUp();
    server.forgetSeen();

    HttpResponse<String> repeat =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod-again.json"));

    assertThat(repeat.statusCode()).isEqualTo(202);
    assertThat(remediationRequestCalls()).hasSize(1);
    assertThat(server.seen().stream().filter(s -> s.path().startsWith(MockCluster.LEASE_PATH)))
        .as("a duplicate takes no claim")
        .isEmpty();
  }

  @Test
  void aNewIncidentCostsThreeRemediationRequestCallsAndOneClaimWrite() {
    HttpResponse<String> created =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(remediationRequestCalls())
        .extracting(FaultDispatcher.Seen::method)
        .containsExactly("GET", "POST", "PATCH");
    assertThat(server.seen().stream().filter(s -> s.path().startsWith(MockCluster.LEASE_PATH)))
        .as("the first claim of a fingerprint: created without reading it first")
        .extracting(FaultDispatcher.Seen::method)
        .containsExactly("POST");
  }

  @Test
  void aBurstOfTwoHundredSignalsForOneWorkloadIsFoldedIntoAtMostSevenWrites() {
    int burst = 200;
    StringBuilder webhook = new StringBuilder("{\"alerts\":[");
    for (int i = 0; i < burst; i++) {
      webhook
          .append(i == 0 ? "" : ",")
          .append(
              SignalPathIT.alertJson(
                  "Burst" + i, "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}"));
    }

    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, webhook.append("]}").toString());

    assertThat(response.statusCode()).isEqualTo(207);
    JsonNode summary = GatewayHarness.parse(response.body()).path("summary");
    assertThat(summary.path("created").asInt()).isEqualTo(1);
    assertThat(summary.path("deduplicated").asInt()).isEqualTo(burst - 1);
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr ->
                assertThat(rr.getStatus().getDeduplication().getOccurrenceCount())
                    .isEqualTo(burst));
    List<FaultDispatcher.Seen> writes =
        remediationRequestCalls().stream().filter(s -> !s.method().equals("GET")).toList();
    assertThat(writes).hasSizeLessThanOrEqualTo(3 + burst / 50);
  }

  /**
   * Concurrent HTTP requests reach the gateway spread over the time their connections take to open,
   * so how many of them one write folds depends on the machine; counts stay exact either way.
   */
  @Test
  void concurrentRequestsForOneWorkloadAreCountedExactlyAndFolded() {
    int burst = 200;
    ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<CompletableFuture<HttpResponse<String>>> responses =
          IntStream.range(0, burst)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () ->
                              gateway.post(
                                  AlertmanagerSource.PATH,
                                  SignalPathIT.alert(
                                      "Burst" + i,
                                      "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}")),
                          senders))
              .toList();
      List<Integer> statuses = responses.stream().map(f -> f.join().statusCode()).toList();

      assertThat(statuses).containsOnly(201, 202);
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
      assertThat(gateway.remediationRequests())
          .singleElement()
          .satisfies(
              rr ->
                  assertThat(rr.getStatus().getDeduplication().getOccurrenceCount())
                      .isEqualTo(burst));
      List<FaultDispatcher.Seen> writes =
          remediationRequestCalls().stream().filter(s -> !s.method().equals("GET")).toList();
      assertThat(writes).hasSizeLessThan(burst / 4);
    } finally {
      senders.shutdownNow();
    }
  }

  private List<FaultDispatcher.Seen> remediationRequestCalls() {
    return server.seen().stream().filter(s -> s.path().startsWith(RR_PATH)).toList();
  }

  private void awaitCacheCaughtUp() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> gateway.app().pendingOwnWrites() == 0);
  }
}
