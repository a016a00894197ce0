package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.ForeignIncidents;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once guarantees under the faults production has and the plain fault injector never
 * produced: writes the server applied and then failed, incidents deleted between a read and a
 * create, incidents created by other writers, requests that outlive their deadline, and writes the
 * API refuses for good. Each test proves its fault happened.
 */
class ExactlyOnceFaultsIT {

  static final String RR_PATH = ApiFaultsIT.RR_PATH;
  static final String LEASE_PATH = ApiFaultsIT.LEASE_PATH;
  static final String CHECKOUT = "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}";

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;
  FaultDispatcher faults;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    faults = cluster.faults();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    cluster.close();
  }

  private GatewayHarness gateway(String name, String yaml) throws Exception {
    return GatewayHarness.start(cluster, Files.createDirectories(dir.resolve(name)), yaml);
  }

  @Test
  void aCountWriteAppliedThenAnswered503IsNotCountedTwice() throws Exception {
    gateway = gateway("a", "");
    send("First");
    String name = onlyRequest().getMetadata().getName();
    faults.failAfterApplying("PATCH", RR_PATH + "/" + name + "/status", 503, 1);

    HttpResponse<String> repeat = send("Second");

    assertThat(faults.seen("PATCH", RR_PATH))
        .as("the count write was applied and then failed")
        .anyMatch(FaultDispatcher.Seen::appliedThenFailed);
    assertThat(repeat.statusCode()).isEqualTo(202);
    assertThat(GatewayHarness.parse(repeat.body()).path("metadata").path("count").asInt())
        .isEqualTo(2);
    assertThat(count(onlyRequest())).isEqualTo(2);
  }

  @Test
  void aCreateAppliedThenAnswered503IsStillAnsweredCreated() throws Exception {
    gateway = gateway("a", "");
    faults.failAfterApplying("POST", RR_PATH, 503, 1);

    HttpResponse<String> response = send("First");

    assertThat(faults.seen("POST", RR_PATH)).anyMatch(FaultDispatcher.Seen::appliedThenFailed);
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(GatewayHarness.parse(response.body()).path("status").asText()).isEqualTo("created");
    assertThat(count(onlyRequest())).isEqualTo(1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(gateway.auditEvents())
                    .extracting(e -> e.path("event_type").asText())
                    .contains("gateway.crd.created"));
  }

  @Test
  void aDeletionBetweenOneReplicasReadAndItsCreateCannotOpenASecondIncident() throws Exception {
    gateway =
        gateway(
            "a",
            "processing:\n  retry:\n    maxAttempts: 3\n    initialBackoff: 2s\n"
                + "    maxBackoff: 2s\n");
    GatewayHarness other = gateway("b", "");
    try {
      send("Opens");
      RemediationRequest first = onlyRequest();
      setPhase(first.getMetadata().getName(), "Completed");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gateway.app() != null && endedInCache(first));
      faults.forgetSeen();
      faults.fail("POST", RR_PATH, 429, 1);
      CompletableFuture<HttpResponse<String>> slow =
          CompletableFuture.supplyAsync(() -> send(gateway, "SlowCreate"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !faults.seen("POST", RR_PATH).isEmpty());
      // the first replica read the ended incident and now backs off before creating the next
      delete(first.getMetadata().getName());

      HttpResponse<String> fast = send(other, "FastCreate");

      assertThat(List.of(slow.get().statusCode(), fast.statusCode()))
          .containsExactlyInAnyOrder(201, 202);
      List<RemediationRequest> all = gateway.remediationRequests();
      assertThat(all).singleElement().satisfies(rr -> assertThat(count(rr)).isEqualTo(2));
      assertThat(all.getFirst().getMetadata().getName())
          .as("the deleted incident's name is not reused")
          .isNotEqualTo(first.getMetadata().getName());
    } finally {
      other.close();
    }
  }

  /** The phase change has reached the API server; both replicas read it uncached anyway. */
  private boolean endedInCache(RemediationRequest rr) {
    RemediationRequest now =
        cluster
            .client()
            .resources(RemediationRequest.class)
            .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
            .withName(rr.getMetadata().getName())
            .get();
    return now.getStatus() != null && "Completed".equals(now.getStatus().getOverallPhase());
  }

  @Test
  void anIncidentOfAnotherWriterAbsorbsRepeatsEvenAfterAConflict() throws Exception {
    RemediationRequest foreign = foreignIncident("rr-from-go-gateway");
    faults.delayWatchEvents(Duration.ofSeconds(3));
    gateway = gateway("a", "");
    // the orchestrator moves the incident on; the gateway's cache hears of it 3 s later
    setPhase("rr-from-go-gateway", "Analyzing");

    HttpResponse<String> response = send("AfterMigration");

    assertThat(faults.seen("PATCH", RR_PATH + "/rr-from-go-gateway/status"))
        .as("the first count write met the orchestrator's change")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr -> {
              assertThat(rr.getMetadata().getName()).isEqualTo(foreign.getMetadata().getName());
              assertThat(count(rr)).isEqualTo(1);
            });
  }

  @Test
  void aCountWriteAppliedWhoseAnswerTimesOutIsReadBackAndNotCountedTwice() throws Exception {
    gateway = gateway("a", "server:\n  k8sRequestTimeout: 10s\n");
    send("First");
    String name = onlyRequest().getMetadata().getName();
    faults.holdAnswerAfterApplying(
        "PATCH", RR_PATH + "/" + name + "/status", Duration.ofSeconds(6), 1);

    HttpResponse<String> repeat = send("Second");

    assertThat(faults.seen("PATCH", RR_PATH + "/" + name + "/status"))
        .as("the count write was applied and its answer held past the client's timeout")
        .anyMatch(FaultDispatcher.Seen::applied);
    assertThat(repeat.statusCode()).isEqualTo(202);
    assertThat(count(onlyRequest())).isEqualTo(2);
  }

  @Test
  void aSignalQueuedPastItsDeadlineIsAnswered504AndNeverCounted() throws Exception {
    gateway = gateway("a", "server:\n  k8sRequestTimeout: 1s\n");
    send("Opens");
    String name = onlyRequest().getMetadata().getName();
    faults.delay("PATCH", RR_PATH + "/" + name + "/status", Duration.ofMillis(1800), 1);

    CompletableFuture<HttpResponse<String>> slow =
        CompletableFuture.supplyAsync(() -> send(gateway, "Slow"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> faults.arrived("PATCH", RR_PATH).size() >= 2);
    HttpResponse<String> queued = send("QueuedBehind");

    assertThat(queued.statusCode()).isEqualTo(504);
    assertThat(slow.get().statusCode())
        .as("a write that had started is answered with its real result")
        .isEqualTo(202);
    assertThat(count(onlyRequest())).as("one count per 2xx answer").isEqualTo(2);
  }

  @Test
  void aSeverityTheSchemaRefusesIsAnswered400NamingTheField() throws Exception {
    gateway = gateway("a", "");
    String severity = "s".repeat(51);

    HttpResponse<String> response =
        gateway.post(
            SignalRoutes.PROMETHEUS,
            SignalPathIT.alert(
                "Long",
                "{\"namespace\":\"demo\",\"deployment\":\"checkout\",\"severity\":\""
                    + severity
                    + "\"}"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText()).contains("severity");
    assertThat(gateway.remediationRequests()).isEmpty();
  }

  @Test
  void anIncidentTheApiRefusesFailsOnlyItsOwnSignalAndTheOthersAreRecorded() throws Exception {
    gateway = gateway("a", "");
    faults.fail("POST", RR_PATH, 422, 1);
    String batch =
        "{\"alerts\":["
            + SignalPathIT.alertJson("Refused", CHECKOUT)
            + ","
            + SignalPathIT.alertJson("Accepted", CHECKOUT)
            + "]}";

    HttpResponse<String> response = gateway.post(SignalRoutes.PROMETHEUS, batch);

    assertThat(faults.seen("POST", RR_PATH)).anyMatch(s -> s.injectedStatus() == 422);
    assertThat(response.statusCode()).isEqualTo(207);
    JsonNode results = GatewayHarness.parse(response.body()).path("results");
    assertThat(results.get(0).path("status").asText()).isEqualTo("rejected");
    assertThat(results.get(0).path("error").asText()).contains("rejected by the API server");
    assertThat(results.get(1).path("status").asText()).isEqualTo("created");
    assertThat(count(onlyRequest())).isEqualTo(1);
  }

  @Test
  void aMissingCrdAnswers503WithRetryAfterNot500() throws Exception {
    gateway = gateway("a", "");
    faults.fail("POST", RR_PATH, 404, 10);

    HttpResponse<String> response = send("NoCrd");

    assertThat(faults.seen("POST", RR_PATH)).anyMatch(s -> s.injectedStatus() == 404);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .contains("CRD installed");
  }

  @Test
  void aNameHeldByAnotherFingerprintsObjectMovesToTheNextNumber() throws Exception {
    RemediationRequest squatter = foreignIncident("rr-d8c661dcfb1d-f2eef4d0");
    squatter.getSpec().setSignalFingerprint("f".repeat(64));
    cluster.client().resource(squatter).update();
    gateway = gateway("a", "");

    HttpResponse<String> response = send("First");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(GatewayHarness.parse(response.body()).path("remediationRequestName").asText())
        .isNotEqualTo("rr-d8c661dcfb1d-f2eef4d0");
  }

  @Test
  void aNegativeCountWrittenByAnotherWriterDoesNotPoisonTheFingerprint() throws Exception {
    foreignIncident("rr-negative");
    cluster
        .client()
        .resources(RemediationRequest.class)
        .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
        .withName("rr-negative")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"overallPhase\":\"Processing\",\"deduplication\":"
                + "{\"occurrenceCount\":-3}}}");
    gateway = gateway("a", "");

    HttpResponse<String> response = send("AfterPoison");

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(count(gateway.remediationRequests().getFirst())).isEqualTo(1);
  }

  private HttpResponse<String> send(String alertname) {
    return send(gateway, alertname);
  }

  private static HttpResponse<String> send(GatewayHarness target, String alertname) {
    return target.post(SignalRoutes.PROMETHEUS, SignalPathIT.alert(alertname, CHECKOUT));
  }

  private RemediationRequest onlyRequest() {
    List<RemediationRequest> all = gateway.remediationRequests();
    assertThat(all).hasSize(1);
    return all.getFirst();
  }

  private static int count(RemediationRequest rr) {
    return rr.getStatus() == null || rr.getStatus().getDeduplication() == null
        ? 0
        : rr.getStatus().getDeduplication().getOccurrenceCount();
  }

  private void setPhase(String name, String phase) {
    cluster
        .client()
        .resources(RemediationRequest.class)
        .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
        .withName(name)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"overallPhase\":\"" + phase + "\"}}");
  }

  private void delete(String name) {
    cluster
        .client()
        .resources(RemediationRequest.class)
        .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
        .withName(name)
        .delete();
  }

  /** An active incident about checkout as the Go Gateway creates it: no gateway labels. */
  private RemediationRequest foreignIncident(String name) {
    return ForeignIncidents.create(
        cluster.client(), name, SignalPathIT.CHECKOUT_FINGERPRINT, "demo", "checkout");
  }
}
