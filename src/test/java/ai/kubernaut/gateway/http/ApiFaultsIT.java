package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the sender receives when the Kubernetes API fails, and proof that the fault happened. */
class ApiFaultsIT {

  static final String RR_PATH =
      "/apis/kubernaut.ai/v1alpha1/namespaces/kubernaut-system/remediationrequests";
  static final String LEASE_PATH =
      "/apis/coordination.k8s.io/v1/namespaces/kubernaut-system/leases";

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;
  FaultDispatcher faults;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway = GatewayHarness.start(cluster, dir);
    faults = cluster.faults();
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void createFailingBeyondRetriesAnswers503WithRetryAfterAndRecordsNothing() {
    faults.fail("POST", RR_PATH, 503, 100);

    HttpResponse<String> response =
        gateway.post(SignalRoutes.PROMETHEUS, Fixtures.bytes("alertmanager/firing-pod.json"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText()).contains("503");
    assertThat(faults.seen("POST", RR_PATH)).hasSize(2).allMatch(FaultDispatcher.Seen::faulted);
    assertThat(gateway.remediationRequests()).isEmpty();
  }

  @Test
  void aTransientCreateFailureIsRetriedAndTheSignalRecorded() {
    faults.fail("POST", RR_PATH, 429, 1);

    HttpResponse<String> response =
        gateway.post(SignalRoutes.PROMETHEUS, Fixtures.bytes("alertmanager/firing-pod.json"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(faults.seen("POST", RR_PATH))
        .extracting(FaultDispatcher.Seen::injectedStatus)
        .containsExactly(429, 0);
    assertThat(gateway.remediationRequests()).hasSize(1);
  }

  @Test
  void aConflictOnTheCountWriteIsReReadAndTheCountStaysExact() {
    gateway.post(SignalRoutes.PROMETHEUS, Fixtures.bytes("alertmanager/firing-pod.json"));
    String name = gateway.remediationRequests().getFirst().getMetadata().getName();
    faults.forgetSeen();
    faults.fail("PATCH", RR_PATH + "/" + name + "/status", 409, 1);

    HttpResponse<String> repeat =
        gateway.post(SignalRoutes.PROMETHEUS, Fixtures.bytes("alertmanager/firing-pod-again.json"));

    assertThat(repeat.statusCode()).isEqualTo(202);
    assertThat(GatewayHarness.parse(repeat.body()).path("metadata").path("count").asInt())
        .isEqualTo(2);
    assertThat(faults.seen("PATCH", RR_PATH + "/" + name + "/status"))
        .extracting(FaultDispatcher.Seen::injectedStatus)
        .containsExactly(409, 0);
    assertThat(
            gateway
                .remediationRequests()
                .getFirst()
                .getStatus()
                .getDeduplication()
                .getOccurrenceCount())
        .isEqualTo(2);
  }

  @Test
  void aBatchWithAnAlertThatCouldNotBeRecordedAnswers503SoAlertmanagerRetries() {
    cluster.deploymentWithPod("demo", "payments", Map.of());
    gateway.post(
        SignalRoutes.PROMETHEUS,
        SignalPathIT.alert("Warmup", "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}"));
    faults.forgetSeen();
    faults.fail("POST", RR_PATH, 503, 100);
    String batch =
        "{\"alerts\":["
            + SignalPathIT.alertJson("A", "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}")
            + ","
            + SignalPathIT.alertJson("B", "{\"namespace\":\"demo\",\"deployment\":\"payments\"}")
            + "]}";

    HttpResponse<String> response = gateway.post(SignalRoutes.PROMETHEUS, batch);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("results").get(0).path("status").asText()).isEqualTo("duplicate");
    assertThat(body.path("results").get(1).path("status").asText()).isEqualTo("failed");
    assertThat(body.path("summary").path("failed").asInt()).isEqualTo(1);
    assertThat(faults.seen("POST", RR_PATH)).isNotEmpty().allMatch(FaultDispatcher.Seen::faulted);
  }

  @Test
  void aFailingApiServerOpensTheCircuitBreakerAndLaterWritesAreNotSent() {
    cluster.deploymentWithPod("demo", "payments", Map.of());
    faults.fail("POST", RR_PATH, 503, 1_000);
    for (int i = 0; i < 5; i++) {
      gateway.post(
          SignalRoutes.PROMETHEUS,
          SignalPathIT.alert("A" + i, "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}"));
    }
    int postsBefore = faults.seen("POST", RR_PATH).size();
    int writesBefore =
        postsBefore
            + faults.seen("POST", LEASE_PATH).size()
            + faults.seen("PUT", LEASE_PATH).size();

    HttpResponse<String> response =
        gateway.post(
            SignalRoutes.PROMETHEUS,
            SignalPathIT.alert("B", "{\"namespace\":\"demo\",\"deployment\":\"payments\"}"));

    assertThat(writesBefore)
        .as("writes (incident creates and claims) before the breaker opened")
        .isGreaterThanOrEqualTo(10);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .contains("circuit breaker k8s-api is open");
    assertThat(faults.seen("POST", RR_PATH))
        .as("no write reached the server once open")
        .hasSize(postsBefore);
    assertThat(gateway.metrics().body())
        .contains("gateway_circuit_breaker_state{name=\"k8s-api\"} 2.0");
  }

  @Test
  void aRedeliveredBatchCountsOnlyTheAlertsTheFirstDeliveryDidNotRecord() {
    cluster.deploymentWithPod("demo", "payments", Map.of());
    gateway.post(
        SignalRoutes.PROMETHEUS,
        SignalPathIT.alert("Warmup", "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}"));
    String batch =
        "{\"alerts\":["
            + SignalPathIT.alertJson("A", "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}")
            + ","
            + SignalPathIT.alertJson("B", "{\"namespace\":\"demo\",\"deployment\":\"payments\"}")
            + "]}";
    faults.fail("POST", RR_PATH, 503, 100);
    HttpResponse<String> first = gateway.post(SignalRoutes.PROMETHEUS, batch);
    faults.clearFaults();

    HttpResponse<String> redelivered = gateway.post(SignalRoutes.PROMETHEUS, batch);

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(redelivered.statusCode()).isEqualTo(207);
    JsonNode results = GatewayHarness.parse(redelivered.body()).path("results");
    assertThat(results.get(0).path("status").asText()).isEqualTo("duplicate");
    assertThat(results.get(1).path("status").asText()).isEqualTo("created");
    assertThat(gateway.remediationRequests())
        .extracting(
            rr -> rr.getSpec().getTargetResource().getName(),
            rr -> rr.getStatus().getDeduplication().getOccurrenceCount())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("checkout", 2),
            org.assertj.core.groups.Tuple.tuple("payments", 1));
    assertThat(gateway.metrics().body())
        .contains("gateway_signals_redelivered_total{source_type=\"prometheus\"} 1.0");
  }

  @Test
  void aSignalWhoseProcessingFailsUnexpectedlyIsRetriedAndTheOthersOfItsWebhookAreRemembered() {
    cluster.deploymentWithPod("demo", "payments", Map.of());
    gateway.post(
        SignalRoutes.PROMETHEUS,
        SignalPathIT.alert("Warmup", "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}"));
    String batch =
        "{\"alerts\":["
            + SignalPathIT.alertJson("A", "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}")
            + ","
            + SignalPathIT.alertJson("B", "{\"namespace\":\"demo\",\"deployment\":\"payments\"}")
            + "]}";
    // a permanent API error on the create, which escapes the recording path as an exception
    faults.fail("POST", RR_PATH, 422, 1);
    HttpResponse<String> first = gateway.post(SignalRoutes.PROMETHEUS, batch);
    faults.clearFaults();

    HttpResponse<String> redelivered = gateway.post(SignalRoutes.PROMETHEUS, batch);

    assertThat(faults.seen("POST", RR_PATH)).anyMatch(FaultDispatcher.Seen::faulted);
    assertThat(first.statusCode()).as(first.body()).isNotEqualTo(500);
    assertThat(
            GatewayHarness.parse(redelivered.body()).path("results").get(0).path("status").asText())
        .isEqualTo("duplicate");
    assertThat(gateway.remediationRequests())
        .filteredOn(rr -> rr.getSpec().getTargetResource().getName().equals("checkout"))
        .singleElement()
        .satisfies(
            rr -> assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(2));
  }

  @Test
  void ownerLookupFailureAnswers503NotBadRequest() {
    // a pod the cache does not hold is read from the API, and that read fails
    faults.fail("GET", "/api/v1/namespaces/demo/pods/", 500, 100);

    HttpResponse<String> response =
        gateway.post(
            SignalRoutes.PROMETHEUS,
            SignalPathIT.alert(
                "KubePodCrashLooping",
                "{\"namespace\":\"demo\",\"pod\":\"checkout-7d9f8b6c5-n3w0p\"}"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(faults.seen("GET", "/api/v1/namespaces/demo/pods/"))
        .isNotEmpty()
        .allMatch(FaultDispatcher.Seen::faulted);
  }
}
