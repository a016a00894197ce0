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
import org.junit.jupiter.api.Tag;
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
    for (String app : List.of("checkout", "payments", "search", "inventory", "orders", "billing")) {
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
   * fails and the claim is read. This replica sees that claim for the first time: its stamp says it
   * expired, but the server's stamps say it was written less than 30 s ago (setting the stamp back
   * is itself a write), so it neither creates the claimed incident again (that would bring back the
   * deleted incident's name) nor moves past it (its claimant's clock may be behind and its create
   * still on the way): it answers 503. A claim older than 30 s on the server's clock is moved past
   * at first sight, at 6 requests: {@code ClaimServerAgeRealIT}.
   */
  @Test
  void aClaimAssumedAbsentThatExistsIsReadAndWhileFreshToThisReplicaNothingIsOpened()
      throws Exception {
    try (GatewayHarness other = replicaAfterADeletedIncident("orders", "Deleted")) {
      long mark = audit.mark();

      HttpResponse<String> next = postTo(other, "orders", "Deleted");

      assertThat(next.statusCode()).as(next.body()).isEqualTo(503);
      assertThat(next.headers().firstValue("Retry-After")).isPresent();
      assertThat(requestsFor("new incident whose claim exists unknown to the replica", mark))
          .containsExactly("list remediationrequests 200", "create leases 409", "get leases 200");
      assertThat(incidents("Deleted")).isEmpty();
    }
  }

  /**
   * Thirty seconds after the claim's last write on the server's clock (and after the replica first
   * saw it, on its own), the claimant had its window: the next number is taken on the claim it
   * read, and the deleted incident's name is not reused. Waits out the window, so it runs in the
   * slow group.
   */
  @Test
  @Tag("slow")
  void aClaimFirstSeenThirtySecondsAgoIsMovedPastAndTheDeletedIncidentsNameIsNotReused()
      throws Exception {
    try (GatewayHarness other = replicaAfterADeletedIncident("billing", "Gone")) {
      assertThat(postTo(other, "billing", "Gone").statusCode()).isEqualTo(503);
      long[] mark = {audit.mark()};

      Awaitility.await("the claim's window on the replica's clock")
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                mark[0] = audit.mark();
                return postTo(other, "billing", "Gone").statusCode() == 201;
              });

      assertThat(requestsFor("next incident past a claim seen 30 s ago", mark[0]))
          .containsExactly(
              "list remediationrequests 200",
              "update leases 200",
              "create remediationrequests 201",
              "patch remediationrequests/status 200");
      assertThat(incidentOf("Gone").getMetadata().getName()).isNotIn(deletedNames);
    }
  }

  private final List<String> deletedNames = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Opens an incident on the first replica and deletes it, then starts another replica, which knows
   * neither that incident nor its claim; the claim's stamp is set a minute back.
   */
  private GatewayHarness replicaAfterADeletedIncident(String app, String alertName)
      throws Exception {
    post(app, alertName);
    RemediationRequest deleted = incidentOf(alertName);
    deletedNames.add(deleted.getMetadata().getName());
    GatewayHarness other =
        RealGateways.start(
            server, controllerNamespace, Files.createTempDirectory("api-budget-other"), "");
    server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .withName(deleted.getMetadata().getName())
        .delete();
    Awaitility.await("the deletion in the other replica's cache")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !activeIn(other, app));
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
    return other;
  }

  private List<RemediationRequest> incidents(String alertName) {
    return gateway.remediationRequests().stream()
        .filter(rr -> rr.getSpec().getSignalName().equals(alertName))
        .toList();
  }

  private HttpResponse<String> postTo(GatewayHarness target, String app, String alertName) {
    return target.post(
        AlertmanagerSource.PATH,
        Alerts.webhook(alertName, Map.of("namespace", ns, "pod", pods.get(app))));
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
