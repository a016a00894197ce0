package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.ApiServerTime;
import ai.kubernaut.gateway.kube.InstrumentedClient;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.AuditLog;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A claim's age judged on the real kube-apiserver's clock: the time it stamps on each claim write
 * (the Lease's {@code managedFields} time) against the time it stamps on its answers ({@code
 * Date}). A replica that never saw a claim written longer ago than the opening window moves past it
 * at once; one whose stamps say it is younger, or written after the answer, waits.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimServerAgeRealIT {

  RealApiServer server;
  AuditLog audit;
  String ns;
  String controllerNamespace;
  final Map<String, String> pods = new HashMap<>();
  GatewayHarness gateway;
  ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
  KubernetesClient timed;
  final ApiServerTime serverTime = new ApiServerTime();

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    this.audit = server.auditLog();
    controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    Workloads workloads = new Workloads(server.admin());
    for (String app : List.of("checkout", "payments", "orders", "billing")) {
      pods.put(app, workloads.deploymentWithPod(ns, app, Map.of()));
    }
    gateway =
        RealGateways.start(
            server, controllerNamespace, Files.createTempDirectory("claim-age-real"), "");
    timed =
        InstrumentedClient.derive(
            server.admin(), Map.of(ApiServerTime.NAME, serverTime), callbacks);
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    callbacks.shutdown();
  }

  /**
   * The server stamps the gateway's claim write with its time, stamps the next claim write (the
   * next incident's, an update) anew, and its answers carry its time, read through fabric8's
   * client.
   */
  @Test
  void theServerStampsEveryClaimWriteAndEveryAnswerWithItsOwnTime() {
    assertThat(post(gateway, "checkout", "Stamped").statusCode()).isEqualTo(201);
    RemediationRequest first = incidentOf("Stamped");
    Instant firstWrite = writtenAt(claimOf(first));
    Instant answered = serverTime.atLeastNow().orElseThrow();
    assertThat(Duration.between(firstWrite, answered))
        .as("server time of an answer after the claim, less the claim's write time")
        .isBetween(Duration.ZERO, Duration.ofSeconds(10));
    assertThat(Duration.between(answered, Instant.now()).abs())
        .as("server and test on one machine: the server's Date against the local clock")
        .isLessThan(Duration.ofSeconds(3));
    complete(first, "checkout");
    Awaitility.await("a later second on the server's clock")
        .atMost(Duration.ofSeconds(30))
        .until(() -> isAtLeast(firstWrite.plusSeconds(1)));

    assertThat(post(gateway, "checkout", "Stamped").statusCode()).isEqualTo(201);

    assertThat(writtenAt(claimOf(first))).as("the next claim write's time").isAfter(firstWrite);
  }

  /**
   * A claim cannot be made to look older by rewriting its managed fields' times alone: the server
   * keeps the times of its own writes (the write is a no-op, its version unchanged). So a claim
   * that is 33 s old on the server's clock can only be had by waiting (the slow test below).
   */
  @Test
  void theServerKeepsItsOwnWriteTimeWhenAClientRewritesOnlyTheManagedFieldsTimes() {
    assertThat(post(gateway, "orders", "Rewritten").statusCode()).isEqualTo(201);
    Lease claim = claimOf(incidentOf("Rewritten"));
    Instant written = writtenAt(claim);
    List<ManagedFieldsEntry> entries = claim.getMetadata().getManagedFields();
    entries.forEach(e -> e.setTime(written.minus(Duration.ofMinutes(10)).toString()));

    Lease patched =
        timed
            .leases()
            .inNamespace(controllerNamespace)
            .withName(claim.getMetadata().getName())
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"managedFields\":"
                    + timed.getKubernetesSerialization().asJson(entries)
                    + "}}");

    assertThat(writtenAt(patched)).isEqualTo(written);
    assertThat(patched.getMetadata().getResourceVersion())
        .isEqualTo(claim.getMetadata().getResourceVersion());
  }

  /**
   * A replica that never saw the claim meets it 6 s after its last write on the server's clock,
   * with a stamp that looks expired: it answers 503 (the claim is younger than the window), and
   * says how old the server's stamps make it (at least 3 s: 6 s less the stamps' 2 s margin and a
   * second they may be apart), where a server without stamps would make it 0 s. The requests are
   * those of a first sight before: the server's time comes on the answers, at no request.
   */
  @Test
  void aReplicaThatNeverSawAClaimJudgesItsAgeByTheServersStamps() throws Exception {
    try (GatewayHarness other = replicaAfterADeletedIncident("billing", "Young")) {
      Instant written = stampExpired("Young");
      Awaitility.await("the claim 6 s old on the server's clock")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> isAtLeast(written.plusSeconds(6)));
      long mark = audit.mark();

      HttpResponse<String> next = post(other, "billing", "Young");

      assertThat(next.statusCode()).as(next.body()).isEqualTo(503);
      assertThat(next.headers().firstValue("Retry-After")).isPresent();
      assertThat(ageIn(next.body())).as(next.body()).isBetween(3, 29);
      assertThat(requestsSince(mark))
          .containsExactly("list remediationrequests 200", "create leases 409", "get leases 200");
      assertThat(incidents("Young")).isEmpty();
    }
  }

  /**
   * A replica that never saw the claim meets it 33 s after its last write on the server's clock
   * (the window, the stamps' 2 s margin and a second), with a stamp that looks expired: it moves
   * past it at once, where it used to answer 503 and wait another 30 s. The claim is read after the
   * create of a claim assumed absent fails, and the next number is taken on the version read. Waits
   * out the window, so it runs in the slow group.
   */
  @Test
  @Tag("slow")
  void aReplicaThatNeverSawAClaimWrittenLongerAgoThanTheWindowOpensTheNextIncidentAtOnce()
      throws Exception {
    try (GatewayHarness other = replicaAfterADeletedIncident("payments", "Waited")) {
      Instant written = stampExpired("Waited");
      Awaitility.await("the claim 33 s old on the server's clock")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> isAtLeast(written.plusSeconds(33)));
      long mark = audit.mark();

      HttpResponse<String> next = post(other, "payments", "Waited");

      assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
      assertThat(requestsSince(mark))
          .containsExactly(
              "list remediationrequests 200",
              "create leases 409",
              "get leases 200",
              "update leases 200",
              "create remediationrequests 201",
              "patch remediationrequests/status 200");
    }
  }

  private final Map<String, String> fingerprints = new HashMap<>();

  /**
   * Opens an incident on the first replica and deletes it, then starts another replica, which knows
   * neither that incident nor its claim.
   */
  private GatewayHarness replicaAfterADeletedIncident(String app, String alertName)
      throws Exception {
    assertThat(post(gateway, app, alertName).statusCode()).isEqualTo(201);
    RemediationRequest deleted = incidentOf(alertName);
    fingerprints.put(alertName, deleted.getSpec().getSignalFingerprint());
    GatewayHarness other =
        RealGateways.start(
            server, controllerNamespace, Files.createTempDirectory("claim-age-other"), "");
    server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .withName(deleted.getMetadata().getName())
        .delete();
    Awaitility.await("the deletion seen by both replicas")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !activeIn(other, app) && !activeIn(gateway, app));
    return other;
  }

  /**
   * Sets the claim's stamp a minute back, so that it looks expired to the replica (else it would
   * create the claimed incident again in the deleted one's place); that is a write, so the server's
   * write time is now. Returns that time.
   */
  private Instant stampExpired(String alertName) {
    Lease edited =
        timed
            .leases()
            .inNamespace(controllerNamespace)
            .withName(claimFor(alertName).getMetadata().getName())
            .edit(
                lease -> {
                  lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(1));
                  return lease;
                });
    return writtenAt(edited);
  }

  /** Whether the server's clock reads at least {@code instant}, by the date of a fresh answer. */
  private boolean isAtLeast(Instant instant) {
    timed.namespaces().withName(controllerNamespace).get();
    return !serverTime.atLeastNow().orElseThrow().isBefore(instant);
  }

  /** The claim's age in seconds a 503's detail gives. */
  private static int ageIn(String body) {
    Matcher age = Pattern.compile("known to be (\\d+) s old").matcher(body);
    assertThat(age.find()).as(body).isTrue();
    return Integer.parseInt(age.group(1));
  }

  private Lease claimFor(String alertName) {
    return timed
        .leases()
        .inNamespace(controllerNamespace)
        .withName("gw-lock-" + fingerprints.get(alertName).substring(0, 16))
        .get();
  }

  private Lease claimOf(RemediationRequest incident) {
    fingerprints.put(incident.getSpec().getSignalName(), incident.getSpec().getSignalFingerprint());
    return claimFor(incident.getSpec().getSignalName());
  }

  private static Instant writtenAt(Lease lease) {
    return lease.getMetadata().getManagedFields().stream()
        .map(e -> Instant.parse(e.getTime()))
        .max(Instant::compareTo)
        .orElseThrow();
  }

  private void complete(RemediationRequest incident, String app) {
    server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .withName(incident.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"overallPhase\":\"Completed\"}}");
    Awaitility.await("the ended incident in the cache")
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.app().pendingOwnWrites() == 0 && !activeIn(gateway, app));
  }

  private RemediationRequest incidentOf(String alertName) {
    List<RemediationRequest> found = incidents(alertName);
    assertThat(found).hasSize(1);
    return found.getFirst();
  }

  private List<RemediationRequest> incidents(String alertName) {
    return gateway.remediationRequests().stream()
        .filter(rr -> rr.getSpec().getSignalName().equals(alertName))
        .toList();
  }

  private HttpResponse<String> post(GatewayHarness target, String app, String alertName) {
    return target.post(
        AlertmanagerSource.PATH,
        Alerts.webhook(alertName, Map.of("namespace", ns, "pod", pods.get(app))));
  }

  /** Whether a replica's own view shows an active incident: a resolved alert's answer says. */
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

  /** The gateways' requests since {@code mark}, their long-running watches left out. */
  private List<String> requestsSince(long mark) {
    return audit.requestsSince(mark, RealApiServer.GATEWAY_USER).stream()
        .filter(r -> !r.isWatch())
        .map(AuditLog.Request::line)
        .toList();
  }
}
