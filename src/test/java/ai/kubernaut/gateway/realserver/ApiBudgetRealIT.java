package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.AuditLog;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API requests a signal costs, counted by the real API server itself (its audit log, every
 * request the gateway's identity made, informer traffic aside): the same budgets the mock-based
 * ApiBudgetIT enforces.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiBudgetRealIT {

  RealApiServer server;
  AuditLog audit;
  String ns;
  final Map<String, String> pods = new java.util.HashMap<>();
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    this.audit = server.auditLog();
    String controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    Workloads workloads = new Workloads(server.admin());
    // Created before the gateway starts, so that its caches hold them when signals arrive.
    for (String app : List.of("checkout", "payments", "search")) {
      pods.put(app, workloads.deploymentWithPod(ns, app, Map.of()));
    }
    gateway =
        RealGateways.start(
            server,
            controllerNamespace,
            Files.createTempDirectory("api-budget-real"),
            "server:\n  maxConcurrentRequests: 1000\n");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aNewIncidentCostsThreeRemediationRequestCallsAndTwoClaimCalls() {
    long mark = audit.mark();

    HttpResponse<String> created = post("checkout", "NewIncident");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    List<AuditLog.Request> requests = settledRequests(mark);
    report("new incident", requests);
    assertThat(requests.stream().filter(AuditLog.Request::isRemediationRequest))
        .extracting(AuditLog.Request::verb)
        .containsExactly("list", "create", "patch");
    assertThat(requests.stream().filter(r -> !r.isRemediationRequest()))
        .as("the fingerprint's claim: read, then taken")
        .allMatch(r -> r.resource().equals("leases"))
        .extracting(AuditLog.Request::verb)
        .containsExactly("get", "create");
  }

  @Test
  void aDuplicateCostsOneStatusWrite() {
    post("payments", "Repeat");
    awaitOwnWritesSeen();
    long mark = audit.mark();

    HttpResponse<String> repeat = post("payments", "Repeat");

    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    List<AuditLog.Request> requests = settledRequests(mark);
    report("duplicate", requests);
    assertThat(requests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.verb()).isEqualTo("patch");
              assertThat(r.subresource()).isEqualTo("status");
              assertThat(r.code()).isEqualTo(200);
            });
  }

  @Test
  void aStormOfConcurrentRepeatsIsFoldedIntoFewWrites() {
    post("search", "Storm");
    awaitOwnWritesSeen();
    long mark = audit.mark();
    int storm = 200;
    ExecutorService senders = Executors.newFixedThreadPool(32);
    try {
      List<CompletableFuture<HttpResponse<String>>> responses =
          IntStream.range(0, storm)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> post("search", "Storm"), senders))
              .toList();
      assertThat(responses.stream().map(f -> f.join().statusCode())).containsOnly(202);
    } finally {
      senders.shutdownNow();
    }

    List<AuditLog.Request> requests = settledRequests(mark);
    report("storm of " + storm + " repeats", requests);
    assertThat(requests).allMatch(AuditLog.Request::isRemediationRequest);
    assertThat(requests.stream().filter(AuditLog.Request::isWrite)).hasSizeLessThan(storm / 4);
    assertThat(
            gateway.remediationRequests().stream()
                .filter(rr -> rr.getSpec().getSignalName().equals("Storm"))
                .mapToInt(rr -> rr.getStatus().getDeduplication().getOccurrenceCount())
                .sum())
        .isEqualTo(storm + 1);
  }

  private HttpResponse<String> post(String app, String alertName) {
    return gateway.post(
        AlertmanagerSource.PATH,
        Alerts.webhook(alertName, Map.of("namespace", ns, "pod", pods.get(app))));
  }

  /** The gateway's requests since {@code mark}, its long-running watches left out. */
  private List<AuditLog.Request> settledRequests(long mark) {
    return audit.requestsSince(mark, RealApiServer.GATEWAY_USER).stream()
        .filter(r -> !r.isWatch())
        .toList();
  }

  private void awaitOwnWritesSeen() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> gateway.app().pendingOwnWrites() == 0);
  }

  private static void report(String scenario, List<AuditLog.Request> requests) {
    System.out.println(
        "real API server requests for a "
            + scenario
            + ": "
            + requests.size()
            + " "
            + requests.stream().map(r -> r.verb() + " " + r.uri() + " " + r.code()).toList());
  }
}
