package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Resolved alerts against a real kube-apiserver: by default they never open an incident and never
 * count; with {@code processing.resolvedAlerts: as-firing} they count like the Go Gateway's.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResolvedAlertsRealIT {

  RealApiServer server;
  String ns;
  Workloads workloads;
  GatewayHarness gateway;
  GatewayHarness asFiring;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    ns = server.newNamespace("resolved", Map.of("kubernaut.ai/managed", "true"));
    workloads = new Workloads(server.admin());
    gateway =
        RealGateways.start(
            server,
            server.newControllerNamespace("kubernaut"),
            Files.createTempDirectory("resolved-ignore"),
            "");
    asFiring =
        RealGateways.start(
            server,
            server.newControllerNamespace("kubernaut-as-firing"),
            Files.createTempDirectory("resolved-as-firing"),
            """
            processing:
              resolvedAlerts: as-firing
              retry:
                maxAttempts: 2
                initialBackoff: 10ms
                maxBackoff: 20ms
            """);
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (asFiring != null) {
      asFiring.close();
    }
  }

  @Test
  void aResolvedAlertWithoutAnActiveIncidentCreatesNothingAndIsAnswered200() {
    String pod = workloads.deploymentWithPod(ns, "checkout", Map.of());

    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            Alerts.webhook(Alerts.resolved(Alerts.alert("HighLatency", podLabels(pod)))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("resolved");
    assertThat(body.path("message").asText())
        .isEqualTo("Alert recorded as resolved; no active RemediationRequest, none opened");
    assertThat(body.path("resolution").path("activeIncident").asBoolean()).isFalse();
    assertThat(body.has("remediationRequestName")).isFalse();
    assertThat(targets(gateway)).doesNotContain("checkout");
    JsonNode audit = gateway.auditEvents().getLast();
    assertThat(audit.path("event_type").asText()).isEqualTo("gateway.signal.received");
    assertThat(audit.path("event_action").asText()).isEqualTo("resolved");
    assertThat(audit.path("resource_id").asText()).isEqualTo(body.path("fingerprint").asText());
    assertThat(metric(gateway, "gateway_signals_resolved_total", "active_incident=\"false\""))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aResolvedAlertOnAnActiveIncidentLeavesItsCountUnchangedAndNamesIt() {
    String pod = workloads.deploymentWithPod(ns, "payments", Map.of());
    ObjectNode firing = Alerts.alert("ErrorRate", podLabels(pod));
    HttpResponse<String> opened = gateway.post(AlertmanagerSource.PATH, Alerts.webhook(firing));
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
    String name = GatewayHarness.parse(opened.body()).path("remediationRequestName").asText();

    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, Alerts.webhook(Alerts.resolved(firing)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("resolved");
    assertThat(body.path("remediationRequestName").asText()).isEqualTo(name);
    assertThat(body.path("resolution").path("activeIncident").asBoolean()).isTrue();
    assertThat(body.path("resolution").path("remediationRequestRef").asText()).endsWith("/" + name);
    assertThat(body.path("resolution").path("occurrenceCount").asInt()).isEqualTo(1);
    RemediationRequest rr = only(gateway, name);
    assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1);
  }

  /**
   * A condition often resolves because its pod is gone; that needs nothing and is no error. Its
   * workload cannot be found any more, so whether an incident is active is not claimed either way.
   */
  @Test
  void aResolvedAlertAboutAPodThatIsGoneLeavesItsWorkloadsIncidentAloneAndSaysItCannotTell() {
    String pod = workloads.deploymentWithPod(ns, "stockroom", Map.of());
    ObjectNode firing = Alerts.alert("PodGone", podLabels(pod));
    HttpResponse<String> opened = gateway.post(AlertmanagerSource.PATH, Alerts.webhook(firing));
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
    String name = GatewayHarness.parse(opened.body()).path("remediationRequestName").asText();
    server.admin().pods().inNamespace(ns).withName(pod).withGracePeriod(0).delete();

    AtomicInteger attempt = new AtomicInteger();
    JsonNode body =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  // distinct bodies, so that none is answered as a redelivery of the last
                  ObjectNode resolved = Alerts.resolved(firing.deepCopy());
                  resolved.withObject("annotations").put("attempt", attempt.incrementAndGet());
                  HttpResponse<String> r =
                      gateway.post(AlertmanagerSource.PATH, Alerts.webhook(resolved));
                  assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                  return GatewayHarness.parse(r.body());
                },
                b -> !b.path("resolution").has("activeIncident"));

    assertThat(body.path("status").asText()).isEqualTo("resolved");
    assertThat(body.path("message").asText()).contains("unknown");
    assertThat(only(gateway, name).getStatus().getDeduplication().getOccurrenceCount())
        .isEqualTo(1);
    assertThat(metric(gateway, "gateway_signals_resolved_total", "active_incident=\"unknown\""))
        .isPositive();
  }

  @Test
  void aResolvedAlertAboutAGonePodInAnUnmanagedNamespaceIsRejectedLikeAFiringOne() {
    String unmanaged = server.newNamespace("resolved-unmanaged", Map.of());

    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            Alerts.webhook(
                Alerts.resolved(
                    Alerts.alert("PodGone", Map.of("namespace", unmanaged, "pod", "ghost-2")))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode rejection = GatewayHarness.parse(response.body()).path("rejection");
    assertThat(rejection.path("reason").asText()).isEqualTo("unmanaged_resource");
  }

  @Test
  void aResolvedAlertNamingNoResourceIsAnswered400LikeAFiringOne() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            Alerts.webhook(Alerts.resolved(Alerts.alert("NoTarget", Map.of("namespace", ns)))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("names no Kubernetes resource");
  }

  @Test
  void aMixedWebhookCountsResolvedAlertsSeparatelyInThe207Summary() {
    String firingPod = workloads.deploymentWithPod(ns, "search", Map.of());
    String quietPod = workloads.deploymentWithPod(ns, "cart", Map.of());

    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            Alerts.webhook(
                Alerts.alert("Saturated", podLabels(firingPod)),
                Alerts.resolved(Alerts.alert("Saturated", podLabels(quietPod)))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(207);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("summary").path("total").asInt()).isEqualTo(2);
    assertThat(body.path("summary").path("created").asInt()).isEqualTo(1);
    assertThat(body.path("summary").path("resolved").asInt()).isEqualTo(1);
    assertThat(body.path("summary").path("deduplicated").asInt()).isZero();
    assertThat(body.path("results").get(1).path("status").asText()).isEqualTo("resolved");
    assertThat(targets(gateway)).contains("search").doesNotContain("cart");
  }

  @Test
  void asFiringCountsAResolvedAlertLikeTheGoGateway() {
    String pod = workloads.deploymentWithPod(ns, "inventory", Map.of());
    ObjectNode firing = Alerts.alert("NotReady", podLabels(pod));
    HttpResponse<String> quiet =
        asFiring.post(
            AlertmanagerSource.PATH,
            Alerts.webhook(Alerts.resolved(Alerts.alert("NotReady", podLabels(pod)))));
    assertThat(quiet.statusCode()).as("a resolution opens an incident").isEqualTo(201);

    HttpResponse<String> again =
        asFiring.post(AlertmanagerSource.PATH, Alerts.webhook(Alerts.resolved(firing)));

    assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    JsonNode body = GatewayHarness.parse(again.body());
    assertThat(body.path("metadata").path("count").asInt()).isEqualTo(2);
    RemediationRequest rr = only(asFiring, body.path("remediationRequestName").asText());
    assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(2);
  }

  private Map<String, String> podLabels(String pod) {
    return Map.of("namespace", ns, "pod", pod);
  }

  private static RemediationRequest only(GatewayHarness gateway, String name) {
    List<RemediationRequest> named =
        gateway.remediationRequests().stream()
            .filter(rr -> rr.getMetadata().getName().equals(name))
            .toList();
    assertThat(named).hasSize(1);
    return named.getFirst();
  }

  private static List<String> targets(GatewayHarness gateway) {
    return gateway.remediationRequests().stream()
        .map(rr -> rr.getSpec().getTargetResource().getName())
        .toList();
  }

  static double metric(GatewayHarness gateway, String name, String labelPart) {
    return gateway
        .metrics()
        .body()
        .lines()
        .filter(l -> l.startsWith(name + "{") && l.contains(labelPart))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
