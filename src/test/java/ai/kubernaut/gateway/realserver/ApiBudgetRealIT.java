package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.AuditLog;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
  String controllerNamespace;
  final Map<String, String> pods = new java.util.HashMap<>();
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    this.audit = server.auditLog();
    controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    Workloads workloads = new Workloads(server.admin());
    // Created before the gateway starts, so that its caches hold them when signals arrive.
    for (String app : List.of("checkout", "payments", "search", "inventory", "orders")) {
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
  void aNewIncidentCostsThreeRemediationRequestCallsAndOneClaimWrite() {
    long mark = audit.mark();

    HttpResponse<String> created = post("checkout", "NewIncident");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(requestsFor("new incident", mark))
        .as("uncached read, claim, create, first count")
        .containsExactly(
            "list remediationrequests 200",
            "create leases 201",
            "create remediationrequests 201",
            "patch remediationrequests/status 200");
  }

  @Test
  void theNextIncidentOfAFingerprintTakesTheClaimThisReplicaRemembersWithoutReadingIt() {
    post("inventory", "Recurs");
    RemediationRequest first = incidentOf("Recurs");
    server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .withName(first.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"overallPhase\":\"Completed\"}}");
    Awaitility.await("the ended incident in the cache")
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.app().pendingOwnWrites() == 0 && !activeIn(gateway, "inventory"));
    long mark = audit.mark();

    HttpResponse<String> next = post("inventory", "Recurs");

    assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
    assertThat(requestsFor("next incident of a fingerprint", mark))
        .as("uncached read, claim taken on the version this replica wrote, create, first count")
        .containsExactly(
            "list remediationrequests 200",
            "update leases 200",
            "create remediationrequests 201",
            "patch remediationrequests/status 200");
  }

  /**
   * A replica that knows of no incident of the fingerprint takes the claim to be absent; when the
   * claim exists after all (here: another replica opened an incident since deleted), the create
   * fails and the claim is read, and numbering goes on past the deleted incident.
   */
  @Test
  void aClaimAssumedAbsentThatExistsIsReadThenTakenAndTheDeletedIncidentsNameIsNotReused()
      throws Exception {
    post("orders", "Deleted");
    RemediationRequest deleted = incidentOf("Deleted");
    try (GatewayHarness other =
        RealGateways.start(
            server, controllerNamespace, Files.createTempDirectory("api-budget-other"), "")) {
      server
          .admin()
          .resources(RemediationRequest.class)
          .inNamespace(controllerNamespace)
          .withName(deleted.getMetadata().getName())
          .delete();
      Awaitility.await("the deletion in the other replica's cache")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !activeIn(other, "orders"));
      // as if the claim were older than its opening window: within it, the other replica would
      // create the claimed incident again, as the first replica might still be creating it
      server
          .admin()
          .leases()
          .inNamespace(controllerNamespace)
          .withName("gw-lock-" + deleted.getSpec().getSignalFingerprint().substring(0, 16))
          .edit(
              lease -> {
                lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(1));
                return lease;
              });
      long mark = audit.mark();

      HttpResponse<String> next =
          other.post(
              AlertmanagerSource.PATH,
              Alerts.webhook("Deleted", Map.of("namespace", ns, "pod", pods.get("orders"))));

      assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
      assertThat(requestsFor("new incident whose claim exists unknown to the replica", mark))
          .containsExactly(
              "list remediationrequests 200",
              "create leases 409",
              "get leases 200",
              "update leases 200",
              "create remediationrequests 201",
              "patch remediationrequests/status 200");
      assertThat(incidentOf("Deleted").getMetadata().getName())
          .isNotEqualTo(deleted.getMetadata().getName());
    }
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

  private RemediationRequest incidentOf(String alertName) {
    return gateway.remediationRequests().stream()
        .filter(rr -> rr.getSpec().getSignalName().equals(alertName))
        .findFirst()
        .orElseThrow();
  }

  /** Whether the gateway's own view shows an active incident: a resolved alert's answer says. */
  private boolean activeIn(GatewayHarness target, String app) {
    HttpResponse<String> answer =
        target.post(
            AlertmanagerSource.PATH,
            Alerts.webhook(
                Alerts.resolved(
                    Alerts.alert("Resolved", Map.of("namespace", ns, "pod", pods.get(app))))));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return GatewayHarness.parse(answer.body())
        .path("resolution")
        .path("activeIncident")
        .asBoolean();
  }

  /**
   * The gateway's requests since {@code mark}, reported, each as {@code verb resource[/subresource]
   * code}.
   */
  private List<String> requestsFor(String scenario, long mark) {
    List<AuditLog.Request> requests = settledRequests(mark);
    report(scenario, requests);
    return requests.stream().map(AuditLog.Request::line).toList();
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
