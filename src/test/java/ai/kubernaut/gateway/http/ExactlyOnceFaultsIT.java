package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.ForeignIncidents;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once guarantees that stay on the mock API server: incidents created or changed by other
 * writers (the Go Gateway's unlabelled incidents, a name taken by another fingerprint, a negative
 * count), and a watch that lags behind the server. The lag is why {@link
 * #anIncidentOfAnotherWriterAbsorbsRepeatsEvenAfterAConflict} stays here: the mock's dispatcher
 * holds each watch event back for 3 s, which the real server cannot be made to do, and the fault
 * proxy in front of it relays watch bytes as they come. The faults a real server can host
 * (refusals, resets, latency, writes applied and then failed or answered late, deletions between a
 * read and a create) are proved on it by {@code realserver.ApiFaultsRealIT}.
 */
class ExactlyOnceFaultsIT {

  static final String RR_PATH = MockCluster.RR_PATH;
  static final String LEASE_PATH = MockCluster.LEASE_PATH;
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
  void aSeverityTheSchemaRefusesIsAnswered400NamingTheField() throws Exception {
    gateway = gateway("a", "");
    String severity = "s".repeat(51);

    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
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
    return target.post(AlertmanagerSource.PATH, SignalPathIT.alert(alertname, CHECKOUT));
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

  /** An active incident about checkout as the Go Gateway creates it: no gateway labels. */
  private RemediationRequest foreignIncident(String name) {
    return ForeignIncidents.create(
        cluster.client(), name, SignalPathIT.CHECKOUT_FINGERPRINT, "demo", "checkout");
  }
}
