package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.FaultProxy;
import ai.kubernaut.gateway.testing.FaultProxy.Fault;
import ai.kubernaut.gateway.testing.ForeignIncidents;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the sender receives when the Kubernetes API fails, on the real API server behind {@link
 * FaultProxy}: refusals (429 with Retry-After, 5xx, 409, 404, 422) before the server sees a
 * request, latency, connection resets before forwarding, and writes the server applied whose answer
 * the gateway never received or received as an error. Each test proves its fault happened through
 * the proxy's record; counts are read from the server directly.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFaultsRealIT {

  RealApiServer server;
  FaultProxy faults;
  Path scratch;
  String ns;
  String checkoutPod;
  String paymentsPod;
  String controllerNamespace;
  String rrPath;
  String leasePath;
  GatewayHarness gateway;

  @BeforeAll
  void startProxy(RealApiServer server) throws Exception {
    this.server = server;
    scratch = Files.createTempDirectory("api-faults-real");
    faults = FaultProxy.start(server, scratch);
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    Workloads workloads = new Workloads(server.admin());
    checkoutPod = workloads.deploymentWithPod(ns, "checkout", Map.of());
    paymentsPod = workloads.deploymentWithPod(ns, "payments", Map.of());
  }

  @AfterAll
  void stopProxy() {
    faults.close();
  }

  /** Each test: a controller namespace of its own and a fresh gateway (its breaker closed). */
  @BeforeEach
  void startGateway() {
    controllerNamespace = server.newControllerNamespace("kubernaut");
    rrPath =
        "/apis/kubernaut.ai/v1alpha1/namespaces/" + controllerNamespace + "/remediationrequests";
    leasePath = "/apis/coordination.k8s.io/v1/namespaces/" + controllerNamespace + "/leases";
  }

  private GatewayHarness gateway(String extraYaml) throws Exception {
    gateway =
        GatewayHarness.start(
            server.clientThrough(faults, RealApiServer.GATEWAY_USER),
            controllerNamespace,
            Files.createTempDirectory(scratch, "gateway"),
            extraYaml,
            Map.of());
    faults.forgetSeen();
    return gateway;
  }

  @AfterEach
  void stopGateway() {
    faults.clearFaults();
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }

  @Test
  void createFailingBeyondRetriesAnswers503WithRetryAfterAndRecordsNothing() throws Exception {
    gateway("");
    faults.fail("POST", rrPath, 503, 100);

    HttpResponse<String> response = send("Unavailable", checkoutPod);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText()).contains("503");
    assertThat(faults.seen("POST", rrPath)).hasSize(2).allMatch(FaultProxy.Seen::faulted);
    assertThat(incidents()).isEmpty();
  }

  @Test
  void aTransientCreateFailureIsRetriedAndTheSignalRecorded() throws Exception {
    gateway("");
    faults.fail("POST", rrPath, 429, 1);

    HttpResponse<String> response = send("Throttled", checkoutPod);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(faults.seen("POST", rrPath))
        .extracting(FaultProxy.Seen::fault, FaultProxy.Seen::status)
        .containsExactly(tuple(Fault.STATUS, 429), tuple(Fault.NONE, 201));
    assertThat(incidents()).hasSize(1);
  }

  @Test
  void aCreateWhoseConnectionIsResetBeforeForwardingIsRetriedAndRecordedOnce() throws Exception {
    gateway("");
    faults.reset("POST", rrPath, 1);

    HttpResponse<String> response = send("Reset", checkoutPod);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(faults.seen("POST", rrPath))
        .extracting(FaultProxy.Seen::fault)
        .containsExactly(Fault.RESET, Fault.NONE);
    assertThat(incidents()).singleElement().satisfies(rr -> assertThat(count(rr)).isEqualTo(1));
  }

  @Test
  void aConflictOnTheCountWriteIsReReadAndTheCountStaysExact() throws Exception {
    gateway("");
    send("Conflicted", checkoutPod);
    String status = rrPath + "/" + incidents().getFirst().getMetadata().getName() + "/status";
    faults.forgetSeen();
    faults.fail("PATCH", status, 409, 1);

    HttpResponse<String> repeat = send("Conflicted", checkoutPod);

    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    assertThat(GatewayHarness.parse(repeat.body()).path("metadata").path("count").asInt())
        .isEqualTo(2);
    assertThat(faults.seen("PATCH", status))
        .extracting(FaultProxy.Seen::status)
        .containsExactly(409, 200);
    assertThat(count(incidents().getFirst())).isEqualTo(2);
  }

  @Test
  void aThrottledCountWriteIsRetriedAndCountedOnce() throws Exception {
    gateway("");
    send("Throttled", checkoutPod);
    String status = rrPath + "/" + incidents().getFirst().getMetadata().getName() + "/status";
    faults.forgetSeen();
    faults.fail("PATCH", status, 429, 1);

    HttpResponse<String> repeat = send("Throttled", checkoutPod);

    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    assertThat(faults.seen("PATCH", status))
        .extracting(FaultProxy.Seen::status)
        .containsExactly(429, 200);
    assertThat(count(incidents().getFirst())).isEqualTo(2);
  }

  @Test
  void aCountWriteAppliedThenAnswered503IsNotCountedTwice() throws Exception {
    gateway("");
    send("First", checkoutPod);
    String status = rrPath + "/" + incidents().getFirst().getMetadata().getName() + "/status";
    faults.failAfterForwarding("PATCH", status, 503, 1);

    HttpResponse<String> repeat = send("First", checkoutPod);

    assertThat(faults.seen("PATCH", status))
        .as("the count write reached the server and its answer was replaced by 503")
        .anyMatch(s -> s.fault() == Fault.STATUS_AFTER_FORWARDING);
    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    assertThat(GatewayHarness.parse(repeat.body()).path("metadata").path("count").asInt())
        .isEqualTo(2);
    assertThat(count(incidents().getFirst())).isEqualTo(2);
  }

  @Test
  void aCountWriteAppliedWhoseConnectionIsResetIsNotCountedTwice() throws Exception {
    gateway("");
    send("First", checkoutPod);
    String status = rrPath + "/" + incidents().getFirst().getMetadata().getName() + "/status";
    faults.resetAfterForwarding("PATCH", status, 1);

    HttpResponse<String> repeat = send("First", checkoutPod);

    assertThat(faults.seen("PATCH", status))
        .as("the count write reached the server and the answer was lost in a reset")
        .anyMatch(s -> s.fault() == Fault.RESET_AFTER_FORWARDING);
    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    assertThat(count(incidents().getFirst())).isEqualTo(2);
  }

  @Test
  void aCreateAppliedThenAnswered503IsStillAnsweredCreated() throws Exception {
    gateway("");
    faults.failAfterForwarding("POST", rrPath, 503, 1);

    HttpResponse<String> response = send("First", checkoutPod);

    assertThat(faults.seen("POST", rrPath))
        .anyMatch(s -> s.fault() == Fault.STATUS_AFTER_FORWARDING);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(GatewayHarness.parse(response.body()).path("status").asText()).isEqualTo("created");
    assertThat(incidents()).singleElement().satisfies(rr -> assertThat(count(rr)).isEqualTo(1));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(gateway.auditEvents())
                    .extracting(e -> e.path("event_type").asText())
                    .contains("gateway.crd.created"));
  }

  @Test
  void aCountWriteAppliedWhoseAnswerTimesOutIsReadBackAndNotCountedTwice() throws Exception {
    gateway("server:\n  k8sRequestTimeout: 10s\n");
    send("First", checkoutPod);
    String status = rrPath + "/" + incidents().getFirst().getMetadata().getName() + "/status";
    faults.holdAnswer("PATCH", status, Duration.ofSeconds(6), 1);

    HttpResponse<String> repeat = send("First", checkoutPod);

    assertThat(faults.seen("PATCH", status))
        .as("the count write was applied and its answer held past the client's timeout")
        .anyMatch(s -> s.fault() == Fault.HOLD_ANSWER);
    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    assertThat(count(incidents().getFirst())).isEqualTo(2);
  }

  @Test
  void aSlowApiServerStillRecordsTheSignalOnce() throws Exception {
    gateway("");
    faults.delay("POST", rrPath, Duration.ofMillis(800), 1);

    long started = System.nanoTime();
    HttpResponse<String> response = send("Slow", checkoutPod);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(faults.seen("POST", rrPath))
        .extracting(FaultProxy.Seen::fault)
        .contains(Fault.DELAY);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(incidents()).singleElement().satisfies(rr -> assertThat(count(rr)).isEqualTo(1));
  }

  @Test
  void aSignalQueuedPastItsDeadlineIsAnswered504AndNeverCounted() throws Exception {
    gateway("server:\n  k8sRequestTimeout: 1s\n");
    send("Opens", checkoutPod);
    String status = rrPath + "/" + incidents().getFirst().getMetadata().getName() + "/status";
    faults.forgetSeen();
    faults.delay("PATCH", status, Duration.ofMillis(1800), 1);

    CompletableFuture<HttpResponse<String>> slow =
        CompletableFuture.supplyAsync(() -> send("Opens", checkoutPod));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !faults.arrived("PATCH", status).isEmpty());
    HttpResponse<String> queued = send("Opens", checkoutPod);

    assertThat(queued.statusCode()).as(queued.body()).isEqualTo(504);
    assertThat(slow.get().statusCode())
        .as("a write that had started is answered with its real result")
        .isEqualTo(202);
    Awaitility.await("the delayed count write forwarded")
        .atMost(Duration.ofSeconds(10))
        .until(() -> faults.seen("PATCH", status).stream().anyMatch(s -> s.fault() == Fault.DELAY));
    assertThat(count(incidents().getFirst())).as("one count per 2xx answer").isEqualTo(2);
  }

  @Test
  void aDeletionBetweenOneReplicasReadAndItsCreateCannotOpenASecondIncident() throws Exception {
    GatewayHarness first =
        gateway(
            "processing:\n  retry:\n    maxAttempts: 3\n    initialBackoff: 2s\n"
                + "    maxBackoff: 2s\n");
    try (GatewayHarness other =
        GatewayHarness.start(
            server.clientThrough(faults, RealApiServer.GATEWAY_USER),
            controllerNamespace,
            Files.createTempDirectory(scratch, "other"),
            "",
            Map.of())) {
      send(first, "Opens");
      RemediationRequest opened = incidents().getFirst();
      setPhase(opened.getMetadata().getName(), "Completed");
      faults.forgetSeen();
      faults.fail("POST", rrPath, 429, 1);
      CompletableFuture<HttpResponse<String>> slow =
          CompletableFuture.supplyAsync(() -> send(first, "SlowCreate"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !faults.seen("POST", rrPath).isEmpty());
      // the first replica read the ended incident and now backs off before creating the next
      server
          .admin()
          .resources(RemediationRequest.class)
          .inNamespace(controllerNamespace)
          .withName(opened.getMetadata().getName())
          .delete();

      HttpResponse<String> fast = send(other, "FastCreate");

      assertThat(faults.seen("POST", rrPath)).anyMatch(s -> s.status() == 429);
      assertThat(List.of(slow.get().statusCode(), fast.statusCode()))
          .containsExactlyInAnyOrder(201, 202);
      Awaitility.await("the deleted incident gone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> incidents().size() == 1);
      List<RemediationRequest> all = incidents();
      assertThat(all).singleElement().satisfies(rr -> assertThat(count(rr)).isEqualTo(2));
      assertThat(all.getFirst().getMetadata().getName())
          .as("the deleted incident's name is not reused")
          .isNotEqualTo(opened.getMetadata().getName());
    }
  }

  private HttpResponse<String> send(GatewayHarness target, String alertname) {
    return target.post(
        AlertmanagerSource.PATH,
        Alerts.webhook(alertname, Map.of("namespace", ns, "pod", checkoutPod)));
  }

  private void setPhase(String name, String phase) {
    server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .withName(name)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"overallPhase\":\"" + phase + "\"}}");
  }

  @Test
  void aBatchWithAnAlertThatCouldNotBeRecordedAnswers503SoAlertmanagerRetries() throws Exception {
    gateway("");
    send("Warmup", checkoutPod);
    faults.forgetSeen();
    faults.fail("POST", rrPath, 503, 100);
    String batch =
        Alerts.webhook(
            Alerts.alert("Warmup", Map.of("namespace", ns, "pod", checkoutPod)),
            Alerts.alert("B", Map.of("namespace", ns, "pod", paymentsPod)));

    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, batch);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("results").get(0).path("status").asText()).isEqualTo("duplicate");
    assertThat(body.path("results").get(1).path("status").asText()).isEqualTo("failed");
    assertThat(body.path("summary").path("failed").asInt()).isEqualTo(1);
    assertThat(faults.seen("POST", rrPath)).isNotEmpty().allMatch(FaultProxy.Seen::faulted);
  }

  @Test
  void aFailingApiServerOpensTheCircuitBreakerAndLaterWritesAreNotSent() throws Exception {
    gateway("");
    faults.fail("POST", rrPath, 503, 1_000);
    for (int i = 0; i < 5; i++) {
      send("A" + i, checkoutPod);
    }
    int postsBefore = faults.seen("POST", rrPath).size();
    int writesBefore =
        postsBefore + faults.seen("POST", leasePath).size() + faults.seen("PUT", leasePath).size();

    HttpResponse<String> response = send("B", paymentsPod);

    assertThat(writesBefore)
        .as("writes (incident creates and claims) before the breaker opened")
        .isGreaterThanOrEqualTo(10);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .contains("circuit breaker k8s-api is open");
    assertThat(faults.seen("POST", rrPath))
        .as("no write reached the server once open")
        .hasSize(postsBefore);
    assertThat(gateway.metrics().body())
        .contains("gateway_circuit_breaker_state{name=\"k8s-api\"} 2.0");
  }

  @Test
  void aRedeliveredBatchCountsOnlyTheAlertsTheFirstDeliveryDidNotRecord() throws Exception {
    gateway("");
    send("A", checkoutPod);
    String batch =
        Alerts.webhook(
            Alerts.alert("A", Map.of("namespace", ns, "pod", checkoutPod)),
            Alerts.alert("B", Map.of("namespace", ns, "pod", paymentsPod)));
    faults.fail("POST", rrPath, 503, 100);
    HttpResponse<String> first = gateway.post(AlertmanagerSource.PATH, batch);
    faults.clearFaults();

    HttpResponse<String> redelivered = gateway.post(AlertmanagerSource.PATH, batch);

    assertThat(faults.seen("POST", rrPath)).anyMatch(FaultProxy.Seen::faulted);
    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(redelivered.statusCode()).as(redelivered.body()).isEqualTo(207);
    JsonNode results = GatewayHarness.parse(redelivered.body()).path("results");
    assertThat(results.get(0).path("status").asText()).isEqualTo("duplicate");
    assertThat(results.get(1).path("status").asText()).isEqualTo("created");
    assertThat(incidents())
        .extracting(rr -> rr.getSpec().getTargetResource().getName(), ApiFaultsRealIT::count)
        .containsExactlyInAnyOrder(tuple("checkout", 2), tuple("payments", 1));
    assertThat(gateway.metrics().body())
        .contains("gateway_signals_redelivered_total{source_type=\"prometheus\"} 1.0");
  }

  @Test
  void aSignalWhoseProcessingFailsUnexpectedlyIsRetriedAndTheOthersOfItsWebhookAreRemembered()
      throws Exception {
    gateway("");
    send("A", checkoutPod);
    String batch =
        Alerts.webhook(
            Alerts.alert("A", Map.of("namespace", ns, "pod", checkoutPod)),
            Alerts.alert("B", Map.of("namespace", ns, "pod", paymentsPod)));
    // a permanent API error on the create, which escapes the recording path as an exception
    faults.fail("POST", rrPath, 422, 1);
    HttpResponse<String> first = gateway.post(AlertmanagerSource.PATH, batch);
    faults.clearFaults();

    HttpResponse<String> redelivered = gateway.post(AlertmanagerSource.PATH, batch);

    assertThat(faults.seen("POST", rrPath)).anyMatch(FaultProxy.Seen::faulted);
    assertThat(first.statusCode()).as(first.body()).isNotEqualTo(500);
    assertThat(
            GatewayHarness.parse(redelivered.body()).path("results").get(0).path("status").asText())
        .isEqualTo("duplicate");
    assertThat(incidents())
        .filteredOn(rr -> rr.getSpec().getTargetResource().getName().equals("checkout"))
        .singleElement()
        .satisfies(rr -> assertThat(count(rr)).isEqualTo(2));
  }

  @Test
  void anIncidentTheApiRefusesFailsOnlyItsOwnSignalAndTheOthersAreRecorded() throws Exception {
    gateway("");
    faults.fail("POST", rrPath, 422, 1);
    String batch =
        Alerts.webhook(
            Alerts.alert("Refused", Map.of("namespace", ns, "pod", checkoutPod)),
            Alerts.alert("Accepted", Map.of("namespace", ns, "pod", checkoutPod)));

    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, batch);

    assertThat(faults.seen("POST", rrPath)).anyMatch(s -> s.status() == 422);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
    JsonNode results = GatewayHarness.parse(response.body()).path("results");
    assertThat(results.get(0).path("status").asText()).isEqualTo("rejected");
    assertThat(results.get(0).path("error").asText()).contains("rejected by the API server");
    assertThat(results.get(1).path("status").asText()).isEqualTo("created");
    assertThat(incidents()).singleElement().satisfies(rr -> assertThat(count(rr)).isEqualTo(1));
  }

  @Test
  void aMissingCrdAnswers503WithRetryAfterNot500() throws Exception {
    gateway("");
    faults.fail("POST", rrPath, 404, 10);

    HttpResponse<String> response = send("NoCrd", checkoutPod);

    assertThat(faults.seen("POST", rrPath)).anyMatch(s -> s.status() == 404);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .contains("CRD installed");
  }

  @Test
  void ownerLookupFailureAnswers503NotBadRequest() throws Exception {
    gateway("");
    // a pod the cache does not hold is read from the API, and that read fails
    String pods = "/api/v1/namespaces/" + ns + "/pods/";
    faults.fail("GET", pods, 500, 100);

    HttpResponse<String> response = send("KubePodCrashLooping", "checkout-7d9f8b6c5-n3w0p");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(faults.seen("GET", pods)).isNotEmpty().allMatch(FaultProxy.Seen::faulted);
  }

  @Test
  void watchesCutByTheNetworkAreResumedAndRepeatsStillFindTheirIncident() throws Exception {
    gateway("");
    send("BeforeCut", checkoutPod);
    String watches =
        "/apis/kubernaut.ai/v1alpha1/namespaces/" + controllerNamespace + "/remediationrequests";
    faults.forgetSeen();

    int cut = faults.resetWatches();

    assertThat(cut).as("watch connections reset by the proxy").isGreaterThanOrEqualTo(10);
    Awaitility.await("the RemediationRequest watch resumed")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                faults.seen("GET", watches).stream()
                    .anyMatch(
                        s ->
                            s.query().contains("watch=true")
                                && (s.status() == 101 || s.status() == 200)));
    String name = incidents().getFirst().getMetadata().getName();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> repeat = send("BeforeCut", checkoutPod);
      assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    }
    assertThat(incidents())
        .singleElement()
        .satisfies(
            rr -> {
              assertThat(rr.getMetadata().getName()).isEqualTo(name);
              assertThat(count(rr)).isEqualTo(6);
            });
  }

  @Test
  void aForeignIncidentTheCacheHasNotSeenIsFoundOnTheServerByItsFingerprint() throws Exception {
    gateway("");
    blockRemediationRequestWatch();
    // Another writer (the Go Gateway) opens an incident about checkout without this gateway's
    // labels; the gateway's cache cannot hear of it while its watch is blocked.
    RemediationRequest foreign =
        ForeignIncidents.create(
            server.admin(),
            controllerNamespace,
            "rr-foreign-checkout",
            ForeignIncidents.fingerprint(ns, "checkout"),
            ns,
            "checkout");

    HttpResponse<String> response = send("AfterForeign", checkoutPod);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(incidents())
        .as("no second incident beside the other writer's")
        .singleElement()
        .satisfies(
            rr -> {
              assertThat(rr.getMetadata().getName()).isEqualTo(foreign.getMetadata().getName());
              assertThat(count(rr)).isEqualTo(1);
            });
  }

  /**
   * The case the uncached read before a new incident guards besides other writers' incidents: the
   * cache shows an incident ended, but not the backoff the orchestrator wrote after the terminal
   * phase, which still absorbs repeats.
   */
  @Test
  void anEndedIncidentsBackoffTheCacheHasNotSeenStillAbsorbsTheSignal() throws Exception {
    gateway("");
    send("Opens", checkoutPod);
    RemediationRequest ended = incidents().getFirst();
    setPhase(ended.getMetadata().getName(), "Failed");
    Awaitility.await("the ended incident in the gateway's cache")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !activeIncidentSeen(checkoutPod));
    blockRemediationRequestWatch();
    server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .withName(ended.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"routingStatus\":{\"nextAllowedExecution\":\""
                + Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS)
                + "\"}}}");

    HttpResponse<String> response = send("WhileBackingOff", checkoutPod);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(incidents())
        .as("no new incident while the ended one backs off")
        .singleElement()
        .satisfies(rr -> assertThat(count(rr)).isEqualTo(2));
  }

  /** Whether the gateway's own view shows an active incident: a resolved alert's answer says. */
  private boolean activeIncidentSeen(String pod) {
    HttpResponse<String> answer =
        gateway.post(
            AlertmanagerSource.PATH,
            Alerts.webhook(
                Alerts.resolved(Alerts.alert("Resolved", Map.of("namespace", ns, "pod", pod)))));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return GatewayHarness.parse(answer.body())
        .path("resolution")
        .path("activeIncident")
        .asBoolean();
  }

  /**
   * Cuts every relayed watch until the RemediationRequest watch's next attempt is refused: the
   * proxy may not be relaying it at the moment the block starts.
   */
  private void blockRemediationRequestWatch() {
    faults.blockWatches(rrPath);
    Awaitility.await("the RemediationRequest watch blocked")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              boolean blocked =
                  faults.seen("GET", rrPath).stream().anyMatch(s -> s.fault() == Fault.RESET);
              if (!blocked) {
                faults.resetWatches();
              }
              return blocked;
            });
  }

  @Test
  void aServerRefusingTheFingerprintFieldSelectorIsAskedByLabelFromThenOn() throws Exception {
    gateway("");
    faults.failWhere(
        "GET",
        rrPath,
        "fieldSelector",
        400,
        "field label not supported: spec.signalFingerprint",
        1);

    HttpResponse<String> first = send("Opens", checkoutPod);
    HttpResponse<String> second = send("Opens", paymentsPod);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    assertThat(faults.seen("GET", rrPath).stream().filter(s -> !s.query().contains("watch")))
        .extracting(s -> s.query().contains("fieldSelector"), FaultProxy.Seen::status)
        .as("refused once, then the label selector for both incidents")
        .containsExactly(tuple(true, 400), tuple(false, 200), tuple(false, 200));
    assertThat(incidents()).hasSize(2);
  }

  private HttpResponse<String> send(String alertname, String pod) {
    return gateway.post(
        AlertmanagerSource.PATH, Alerts.webhook(alertname, Map.of("namespace", ns, "pod", pod)));
  }

  /** The controller namespace's RemediationRequests, read from the server directly. */
  private List<RemediationRequest> incidents() {
    return server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .list()
        .getItems();
  }

  private static int count(RemediationRequest rr) {
    return rr.getStatus() == null || rr.getStatus().getDeduplication() == null
        ? 0
        : rr.getStatus().getDeduplication().getOccurrenceCount();
  }
}
