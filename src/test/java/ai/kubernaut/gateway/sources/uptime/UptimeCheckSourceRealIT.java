package ai.kubernaut.gateway.sources.uptime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.app.SignalSources;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A signal source written only for the tests, registered with one line, on a real kube-apiserver:
 * it gets its route, the payload limits, the replay rule, the redelivery memory and the audit trail
 * without any other file knowing it.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UptimeCheckSourceRealIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  String ns;
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    ns = server.newNamespace("uptime", Map.of("kubernaut.ai/managed", "true"));
    server
        .admin()
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("checkout")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "checkout")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "checkout")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/checkout:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    gateway =
        GatewayHarness.start(
            server.clientAs(RealApiServer.GATEWAY_USER),
            server.newControllerNamespace("kubernaut"),
            Files.createTempDirectory("uptime-real"),
            """
            freshness:
              enabled: true
            limits:
              maxLabels: 4
            """,
            Map.of(),
            SignalSources.STANDARD.with(new UptimeCheckSource()));
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aReportOpensAnIncidentThatItsRedeliveryDoesNotCountAgainAndTheAuditTrailRecords() {
    String report = report("checkout-http", Instant.now(), Map.of("team", "shop"));

    HttpResponse<String> first = gateway.post(UptimeCheckSource.PATH, report);
    HttpResponse<String> redelivered = gateway.post(UptimeCheckSource.PATH, report);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(redelivered.statusCode()).as(redelivered.body()).isEqualTo(201);
    String name = GatewayHarness.parse(first.body()).path("remediationRequestName").asText();
    assertThat(GatewayHarness.parse(redelivered.body()).path("remediationRequestName").asText())
        .isEqualTo(name);
    RemediationRequest rr = only(name);
    assertThat(rr.getSpec().getSignalSource()).isEqualTo(UptimeCheckSource.NAME);
    assertThat(rr.getSpec().getSignalName()).isEqualTo("checkout-http");
    assertThat(rr.getSpec().getTargetResource().getKind()).isEqualTo("Deployment");
    assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1);
    List<JsonNode> audit =
        gateway.auditEvents().stream()
            .filter(e -> e.path("correlation_id").asText().equals(name))
            .toList();
    assertThat(audit).isNotEmpty();
    assertThat(audit.getFirst().path("event_data").path("signal_name").asText())
        .isEqualTo("checkout-http");
    assertThat(gateway.metrics().body())
        .contains("gateway_signals_redelivered_total{source_type=\"uptime-checks\"} 1.0");
  }

  @Test
  void theConfiguredLabelLimitApplies() {
    Map<String, String> fiveLabels =
        IntStream.range(0, 5).boxed().collect(Collectors.toMap(i -> "l" + i, i -> "v"));

    HttpResponse<String> response =
        gateway.post(UptimeCheckSource.PATH, report("too-many", Instant.now(), fiveLabels));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .isEqualTo("Too many entries in labels: 5 exceeds the limit of 4");
  }

  @Test
  void theReplayRuleApplies() {
    HttpResponse<String> response =
        gateway.post(
            UptimeCheckSource.PATH,
            report("stale", Instant.now().minus(1, ChronoUnit.HOURS), Map.of()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .isEqualTo("uptime check checkedAt outside the replay window");
  }

  @Test
  void aMalformedReportIsA400NamingTheField() {
    HttpResponse<String> response =
        gateway.post(UptimeCheckSource.PATH, "{\"check\":\"x\",\"target\":[1]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .startsWith("Failed to parse signal: invalid an uptime check report at target");
  }

  private String report(String check, Instant checkedAt, Map<String, String> labels) {
    return JSON.valueToTree(
            Map.of(
                "check",
                check,
                "status",
                "down",
                "checkedAt",
                checkedAt.truncatedTo(ChronoUnit.SECONDS).toString(),
                "target",
                Map.of("kind", "Deployment", "name", "checkout", "namespace", ns),
                "labels",
                labels))
        .toString();
  }

  private RemediationRequest only(String name) {
    List<RemediationRequest> named =
        gateway.remediationRequests().stream()
            .filter(rr -> rr.getMetadata().getName().equals(name))
            .toList();
    assertThat(named).hasSize(1);
    return named.getFirst();
  }
}
