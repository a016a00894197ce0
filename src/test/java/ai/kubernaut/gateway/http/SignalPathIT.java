package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook → RemediationRequest path over real HTTP against the mock API server. */
class SignalPathIT {

  static final String CHECKOUT_FINGERPRINT =
      "d8c661dcfb1d6372592144aa0f8dfb96216002eb435d6b14ef267f8e5bdb7b4b";

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway = GatewayHarness.start(cluster, dir);
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void alertAboutAPodCreatesARemediationRequestForItsDeployment() {
    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("created");
    assertThat(body.path("message").asText())
        .isEqualTo("RemediationRequest CRD created successfully");
    assertThat(body.path("fingerprint").asText()).isEqualTo(CHECKOUT_FINGERPRINT);
    assertThat(body.path("duplicate").asBoolean()).isFalse();
    assertThat(body.path("remediationRequestNamespace").asText()).isEqualTo("kubernaut-system");
    String name = body.path("remediationRequestName").asText();
    assertThat(name).matches("rr-d8c661dcfb1d-[0-9a-f]{8}");

    RemediationRequest rr = gateway.remediationRequests().getFirst();
    assertThat(gateway.remediationRequests()).hasSize(1);
    assertThat(rr.getMetadata().getName()).isEqualTo(name);
    assertThat(rr.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "gateway-service")
        .containsEntry("app.kubernetes.io/component", "remediation")
        .containsEntry("kubernaut.ai/signal-fingerprint", CHECKOUT_FINGERPRINT.substring(0, 40));
    assertThat(rr.getMetadata().getAnnotations()).containsKey("kubernaut.ai/created-at");
    assertThat(rr.getMetadata().getOwnerReferences()).isNullOrEmpty();
    var spec = rr.getSpec();
    assertThat(spec.getSignalFingerprint()).isEqualTo(CHECKOUT_FINGERPRINT);
    assertThat(spec.getSignalName()).isEqualTo("KubePodCrashLooping");
    assertThat(spec.getSeverity()).isEqualTo("critical");
    assertThat(spec.getSignalType()).isEqualTo("alert");
    assertThat(spec.getSignalSource()).isEqualTo("prometheus");
    assertThat(spec.getTargetType()).isEqualTo("kubernetes");
    assertThat(spec.getTargetResource().getKind()).isEqualTo("Deployment");
    assertThat(spec.getTargetResource().getName()).isEqualTo("checkout");
    assertThat(spec.getTargetResource().getNamespace()).isEqualTo("demo");
    assertThat(spec.getTargetResource().getApiVersion()).isEqualTo("apps/v1");
    assertThat(spec.getFiringTime()).isEqualTo("2026-11-21T11:58:03Z");
    assertThat(spec.getSignalLabels()).containsEntry("pod", "checkout-7d9f8b6c5-x2k4p");
    assertThat(spec.getSignalAnnotations()).containsEntry("summary", "Pod is crash looping.");
    assertThat(GatewayHarness.parse(spec.getProviderData()).path("namespace").asText())
        .isEqualTo("demo");
    assertThat(spec.getOriginalPayload()).isEqualTo(Fixtures.text("alertmanager/firing-pod.json"));
    assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1);
    assertThat(rr.getStatus().getDeduplication().getFirstSeenAt()).isNotBlank();
  }

  @Test
  void repeatedAlertIsCountedOnTheSameRemediationRequest() {
    gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
    HttpResponse<String> repeat =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod-again.json"));

    assertThat(repeat.statusCode()).isEqualTo(202);
    JsonNode body = GatewayHarness.parse(repeat.body());
    assertThat(body.path("status").asText()).isEqualTo("duplicate");
    assertThat(body.path("duplicate").asBoolean()).isTrue();
    assertThat(body.path("message").asText())
        .isEqualTo("Duplicate signal (K8s status-based deduplication)");
    assertThat(body.path("metadata").path("count").asInt()).isEqualTo(2);
    String name = gateway.remediationRequests().getFirst().getMetadata().getName();
    assertThat(body.path("metadata").path("remediationRequestRef").asText())
        .isEqualTo("kubernaut-system/" + name);
    assertThat(body.path("metadata").path("firstOccurrence").asText()).isNotBlank();
    assertThat(body.path("metadata").path("lastOccurrence").asText()).isNotBlank();
    assertThat(gateway.remediationRequests()).hasSize(1);
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
  void aByteIdenticalRedeliveryIsAnsweredWithTheRecordedResultAndNotCountedAgain() {
    HttpResponse<String> first =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
    HttpResponse<String> again =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));

    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr -> assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1));
    assertThat(gateway.auditEvents()).hasSize(2);
  }

  @Test
  void twentyIdenticalBodiesFiredAtOnceAreCountedOnceAndAllAnsweredAlike() {
    byte[] body = Fixtures.bytes("alertmanager/firing-pod.json");

    List<HttpResponse<String>> answers = fireAtOnce(IntStream.range(0, 20).mapToObj(i -> body));

    assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201);
    assertThat(answers).extracting(HttpResponse::body).containsOnly(answers.getFirst().body());
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr -> assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1));
  }

  @Test
  void twentyDistinctBodiesAboutOneWorkloadFiredAtOnceAreCountedTwentyTimes() {
    List<HttpResponse<String>> answers =
        fireAtOnce(
            IntStream.range(0, 20)
                .mapToObj(
                    i ->
                        alert(
                            "Distinct" + i,
                            "{\"namespace\":\"demo\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"}")));

    assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201, 202);
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr -> assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(20));
  }

  private List<HttpResponse<String>> fireAtOnce(Stream<byte[]> bodies) {
    CountDownLatch start = new CountDownLatch(1);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> sent =
          bodies
              .map(
                  b ->
                      pool.submit(
                          () -> {
                            start.await();
                            return gateway.post(AlertmanagerSource.PATH, b);
                          }))
              .toList();
      start.countDown();
      return sent.stream()
          .map(
              f -> {
                try {
                  return f.get();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              })
          .toList();
    }
  }

  @Test
  void kubernetesEventAboutTheSamePodJoinsTheAlertsIncident() {
    gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
    HttpResponse<String> event =
        gateway.post(
            KubernetesEventSource.PATH, Fixtures.bytes("kubernetes-event/core-v1-backoff.json"));

    assertThat(event.statusCode()).isEqualTo(202);
    assertThat(GatewayHarness.parse(event.body()).path("fingerprint").asText())
        .isEqualTo(CHECKOUT_FINGERPRINT);
    assertThat(gateway.remediationRequests()).hasSize(1);
  }

  @Test
  void eventsV1ShapeIsAcceptedToo() {
    HttpResponse<String> event =
        gateway.post(
            KubernetesEventSource.PATH, Fixtures.bytes("kubernetes-event/events-v1-oom.json"));

    assertThat(event.statusCode()).isEqualTo(201);
    RemediationRequest rr = gateway.remediationRequests().getFirst();
    assertThat(rr.getSpec().getSignalSource()).isEqualTo("kubernetes-events");
    assertThat(rr.getSpec().getSeverity()).isEqualTo("Warning");
    assertThat(rr.getSpec().getTargetResource().getName()).isEqualTo("checkout");
  }

  @Test
  void signalAboutAnUnmanagedNamespaceIsRejectedWithTheLabelCommand() {
    cluster.namespace("legacy", Map.of());
    cluster.deploymentWithPod("legacy", "billing", Map.of());

    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            alert("HighErrorRate", "{\"namespace\":\"legacy\",\"deployment\":\"billing\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("rejected");
    assertThat(body.path("fingerprint").asText()).isEmpty();
    assertThat(body.path("message").asText())
        .isEqualTo(
            "Signal rejected: resource legacy:Deployment:billing is not managed by Kubernaut");
    JsonNode rejection = body.path("rejection");
    assertThat(rejection.path("reason").asText()).isEqualTo("unmanaged_resource");
    assertThat(rejection.path("resource").asText()).isEqualTo("legacy:Deployment:billing");
    assertThat(rejection.path("action").asText())
        .isEqualTo(
            "To manage this resource, add the label: kubectl label -n legacy deployment billing"
                + " kubernaut.ai/managed=true");
    assertThat(gateway.remediationRequests()).isEmpty();
  }

  @Test
  void theWorkloadsOwnManagedLabelWinsOverItsNamespace() {
    cluster.deploymentWithPod("demo", "batch-importer", Map.of("kubernaut.ai/managed", "false"));

    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            alert("Slow", "{\"namespace\":\"demo\",\"deployment\":\"batch-importer\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.parse(response.body()).path("status").asText()).isEqualTo("rejected");
  }

  @Test
  void severalAlertsAnswer207WithOneResultPerAlert() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/two-alerts-one-invalid.json"));

    assertThat(response.statusCode()).isEqualTo(207);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("results")).hasSize(2);
    assertThat(body.path("results").get(0).path("status").asText()).isEqualTo("created");
    assertThat(body.path("results").get(1).path("status").asText()).isEqualTo("rejected");
    assertThat(body.path("results").get(1).path("error").asText())
        .isEqualTo("Signal validation failed: alertname label is required");
    assertThat(body.path("summary").path("total").asInt()).isEqualTo(2);
    assertThat(body.path("summary").path("created").asInt()).isEqualTo(1);
    assertThat(body.path("summary").path("rejected").asInt()).isEqualTo(1);
    assertThat(body.path("summary").path("failed").asInt()).isZero();
  }

  @Test
  void twoAlertsAboutOneWorkloadInOneWebhookShareOneIncident() {
    String alerts =
        "{\"alerts\":["
            + alertJson("A", "{\"namespace\":\"demo\",\"deployment\":\"checkout\"}")
            + ","
            + alertJson("B", "{\"namespace\":\"demo\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"}")
            + "]}";

    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, alerts);

    assertThat(response.statusCode()).isEqualTo(207);
    JsonNode summary = GatewayHarness.parse(response.body()).path("summary");
    assertThat(summary.path("created").asInt()).isEqualTo(1);
    assertThat(summary.path("deduplicated").asInt()).isEqualTo(1);
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr -> assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(2));
  }

  @Test
  void aTargetThatDoesNotExistIsABadRequestNamingIt() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH, alert("Gone", "{\"namespace\":\"demo\",\"pod\":\"ghost-1\"}"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .isEqualTo(
            "Signal validation failed: target not found: demo:Pod:ghost-1 does not exist in the cluster");
  }

  @Test
  void anAlertNamingNoResourceIsABadRequest() {
    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, alert("Vague", "{\"job\":\"api\"}"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .contains("names no Kubernetes resource");
  }

  @Test
  void newAndRepeatedSignalsAreAudited() {
    gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
    gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod-again.json"));

    assertThat(gateway.auditEvents())
        .extracting(e -> e.path("event_type").asText())
        .containsExactly(
            "gateway.signal.received", "gateway.crd.created", "gateway.signal.deduplicated");
    JsonNode received = gateway.auditEvents().getFirst();
    assertThat(received.path("event_category").asText()).isEqualTo("gateway");
    assertThat(received.path("actor_type").asText()).isEqualTo("external");
    assertThat(received.path("actor_id").asText()).isEqualTo("prometheus");
    assertThat(received.path("resource_id").asText()).isEqualTo(CHECKOUT_FINGERPRINT);
    assertThat(received.path("event_data").path("deduplication_status").asText()).isEqualTo("new");
    assertThat(gateway.auditEvents().get(2).path("event_data").path("occurrence_count").asInt())
        .isEqualTo(2);
  }

  @Test
  void metricsCountSignalsByOutcome() {
    gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));
    gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod-again.json"));

    String metrics = gateway.metrics().body();
    assertThat(metrics)
        .contains(
            "gateway_signals_received_total{severity=\"critical\",source_type=\"prometheus\"} 2.0")
        .contains("gateway_crds_created_total{source_type=\"prometheus\",status=\"created\"} 1.0")
        .contains("gateway_signals_deduplicated_total{signal_name=\"KubePodCrashLooping\"} 1.0")
        .contains(
            "gateway_http_request_duration_seconds_bucket{endpoint=\"/api/v1/signals/prometheus\"")
        .contains("gateway_dedup_decisions_total{decision=\"new\"} 1.0")
        .contains("gateway_dedup_decisions_total{decision=\"active\"} 1.0")
        .contains("gateway_group_commit_signals_count 2");
  }

  static byte[] alert(String name, String labelsJson) {
    return ("{\"alerts\":[" + alertJson(name, labelsJson) + "]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static String alertJson(String name, String labelsJson) {
    String labels =
        labelsJson.substring(0, labelsJson.length() - 1) + ",\"alertname\":\"" + name + "\"}";
    if (labelsJson.equals("{}")) {
      labels = "{\"alertname\":\"" + name + "\"}";
    }
    return "{\"status\":\"firing\",\"labels\":"
        + labels
        + ",\"annotations\":{},\"startsAt\":\"2026-11-21T11:00:00Z\"}";
  }
}
