package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Grafana Alerting's webhook contact point, as its documentation shows the payload, against a real
 * kube-apiserver: a firing alert opens an incident with Alertmanager's source and signal type, and
 * Grafana as its recorded origin; its resolution does not count.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaAlertingRealIT {

  String ns;
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    ns = server.newNamespace("grafana", Map.of("kubernaut.ai/managed", "true"));
    new Workloads(server.admin()).deploymentWithPod(ns, "checkout", Map.of());
    gateway =
        RealGateways.start(
            server,
            server.newControllerNamespace("kubernaut"),
            Files.createTempDirectory("grafana-real"),
            "");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aFiringAlertOpensAnIncidentAndItsResolutionDoesNotCount() {
    HttpResponse<String> firing =
        gateway.post(AlertmanagerSource.PATH, about(ns, "grafana/firing-deployment.json"));

    assertThat(firing.statusCode()).as(firing.body()).isEqualTo(201);
    String name = GatewayHarness.parse(firing.body()).path("remediationRequestName").asText();
    RemediationRequest rr = only(name);
    assertThat(rr.getSpec().getSignalSource()).isEqualTo("prometheus");
    assertThat(rr.getSpec().getSignalType()).isEqualTo("alert");
    assertThat(rr.getSpec().getSignalName()).isEqualTo("CheckoutErrorRateHigh");
    assertThat(rr.getSpec().getTargetResource().getKind()).isEqualTo("Deployment");
    assertThat(rr.getSpec().getTargetResource().getName()).isEqualTo("checkout");
    JsonNode providerData = GatewayHarness.parse(rr.getSpec().getProviderData());
    assertThat(providerData.path("origin").asText()).isEqualTo("grafana");
    assertThat(providerData.path("namespace").asText()).isEqualTo(ns);
    assertThat(GatewayHarness.parse(rr.getSpec().getOriginalPayload()).path("orgId").asInt())
        .isEqualTo(1);

    HttpResponse<String> resolved =
        gateway.post(AlertmanagerSource.PATH, about(ns, "grafana/resolved-deployment.json"));

    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(resolved.body());
    assertThat(body.path("status").asText()).isEqualTo("resolved");
    assertThat(body.path("remediationRequestName").asText()).isEqualTo(name);
    assertThat(only(name).getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1);
    assertThat(gateway.remediationRequests()).hasSize(1);
    JsonNode audit = gateway.auditEvents().getLast();
    assertThat(audit.path("event_action").asText()).isEqualTo("resolved");
    assertThat(audit.path("event_data").path("original_payload").path("orgId").asInt())
        .isEqualTo(1);
  }

  /** The fixture with its namespace label naming {@code namespace}. */
  private static String about(String namespace, String fixture) {
    ObjectNode body = (ObjectNode) GatewayHarness.parse(Fixtures.text(fixture));
    ((ObjectNode) body.path("commonLabels")).put("namespace", namespace);
    body.path("alerts").forEach(a -> ((ObjectNode) a.path("labels")).put("namespace", namespace));
    return body.toString();
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
