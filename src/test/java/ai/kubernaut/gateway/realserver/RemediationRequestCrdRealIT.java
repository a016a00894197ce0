package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What only a real API server does with the committed RemediationRequest CRD: the CEL rule that
 * keeps the spec immutable (the gateway's status writes still pass), schema validation of status
 * writes, pruning of unknown fields, field selectors on the selectable fields and server-side
 * printer columns.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemediationRequestCrdRealIT {

  static final ResourceDefinitionContext RR =
      new ResourceDefinitionContext.Builder()
          .withGroup("kubernaut.ai")
          .withVersion("v1alpha1")
          .withKind("RemediationRequest")
          .withPlural("remediationrequests")
          .withNamespaced(true)
          .build();

  RealApiServer server;
  String controllerNamespace;
  String ns;
  Workloads workloads;
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws IOException {
    this.server = server;
    controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    workloads = new Workloads(server.admin());
    gateway =
        RealGateways.start(server, controllerNamespace, Files.createTempDirectory("crd-real"), "");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theSpecIsImmutableAndTheGatewaysStatusWritesStillPass() {
    JsonNode created = signal("checkout");
    String name = created.path("remediationRequestName").asText();

    assertThatThrownBy(
            () ->
                rr(name)
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"severity\":\"info\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("spec is immutable after creation");
            });

    JsonNode repeat = signal("checkout");
    assertThat(repeat.path("status").asText()).isEqualTo("duplicate");
    assertThat(repeat.path("metadata").path("count").asInt()).isEqualTo(2);
    assertThat(typed(name).getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(2);
  }

  @Test
  void aStatusWriteOutsideTheSchemaIsRejected() {
    String name = signal("payments").path("remediationRequestName").asText();

    assertThatThrownBy(() -> status(name, "{\"status\":{\"overallPhase\":\"Bogus\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("overallPhase");
            });
    assertThatThrownBy(
            () -> status(name, "{\"status\":{\"deduplication\":{\"occurrenceCount\":\"many\"}}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
  }

  @Test
  void unknownFieldsArePrunedByTheServer() {
    String name = signal("search").path("remediationRequestName").asText();

    status(name, "{\"status\":{\"unknownField\":\"x\",\"overallPhase\":\"Processing\"}}");

    GenericKubernetesResource stored = rr(name).get();
    @SuppressWarnings("unchecked")
    Map<String, Object> status =
        (Map<String, Object>) stored.getAdditionalProperties().get("status");
    assertThat(status)
        .containsEntry("overallPhase", "Processing")
        .doesNotContainKey("unknownField");
  }

  /**
   * The gateway's status write carries the resourceVersion it read, so when a controller has moved
   * the incident to a terminal phase a moment before, the server answers 409 and the gateway
   * re-reads instead of counting the signal on a finished incident.
   */
  @Test
  void aSignalRightAfterTheIncidentCompletedOpensANewRemediationRequest() {
    String first = signal("cart").path("remediationRequestName").asText();
    status(first, "{\"status\":{\"overallPhase\":\"Completed\"}}");

    JsonNode next = signal("cart");

    assertThat(next.path("status").asText()).isEqualTo("created");
    assertThat(next.path("remediationRequestName").asText()).isNotEqualTo(first);
    assertThat(typed(first).getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1);
  }

  /**
   * Why a new incident costs a create and then a status write: with the status subresource the
   * server drops whatever status a create carries, so the first count cannot ride on the create.
   */
  @Test
  void aCreateCannotCarryTheFirstCountBecauseTheServerDropsItsStatus() {
    String name = signal("basket").path("remediationRequestName").asText();
    GenericKubernetesResource copy = rr(name).get();
    copy.getMetadata().setName(name + "-copy");
    copy.getMetadata().setResourceVersion(null);
    copy.getMetadata().setUid(null);
    copy.getMetadata().setCreationTimestamp(null);
    copy.getMetadata().setManagedFields(null);
    copy.getMetadata().setLabels(Map.of());
    copy.getAdditionalProperties()
        .put(
            "status",
            Map.of(
                "deduplication",
                Map.of(
                    "firstSeenAt", "2026-12-06T00:00:00Z",
                    "lastSeenAt", "2026-12-06T00:00:00Z",
                    "occurrenceCount", 1)));

    GenericKubernetesResource created =
        server.admin().genericKubernetesResources(RR).resource(copy).create();

    assertThat(created.getAdditionalProperties()).doesNotContainKey("status");
    assertThat(rr(name + "-copy").get().getAdditionalProperties()).doesNotContainKey("status");
  }

  @Test
  void theSelectableFingerprintFieldFiltersOnTheServer() {
    JsonNode created = signal("inventory");
    String fingerprint = created.path("fingerprint").asText();
    signal("shipping");

    List<GenericKubernetesResource> selected =
        server
            .admin()
            .genericKubernetesResources(RR)
            .inNamespace(controllerNamespace)
            .withField("spec.signalFingerprint", fingerprint)
            .list()
            .getItems();

    assertThat(selected)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getMetadata().getName())
                    .isEqualTo(created.path("remediationRequestName").asText()));
  }

  @Test
  void kubectlGetShowsThePrinterColumns() throws Exception {
    Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
    String name = signal("ledger").path("remediationRequestName").asText();
    status(name, "{\"status\":{\"overallPhase\":\"Analyzing\"}}");

    Process kubectl =
        new ProcessBuilder(
                "kubectl",
                "--kubeconfig",
                server.kubeconfig().toString(),
                "get",
                "rr",
                name,
                "-n",
                controllerNamespace)
            .redirectErrorStream(true)
            .start();
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(kubectl.exitValue()).as(output).isZero();
    List<String> lines = output.lines().toList();
    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly(
            "NAME", "PHASE", "OUTCOME", "ALERT", "RCA TARGET", "WORKFLOW", "CONFIDENCE", "AGE");
    assertThat(lines.get(1)).startsWith(name).contains("Target").contains("Analyzing");
  }

  private JsonNode signal(String deployment) {
    String pod = podOf(deployment);
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH, Alerts.webhook("Target", Map.of("namespace", ns, "pod", pod)));
    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    return GatewayHarness.parse(response.body());
  }

  private final Map<String, String> pods = new java.util.concurrent.ConcurrentHashMap<>();

  private String podOf(String deployment) {
    return pods.computeIfAbsent(deployment, d -> workloads.deploymentWithPod(ns, d, Map.of()));
  }

  private Resource<GenericKubernetesResource> rr(String name) {
    return server
        .admin()
        .genericKubernetesResources(RR)
        .inNamespace(controllerNamespace)
        .withName(name);
  }

  private void status(String name, String mergePatch) {
    rr(name).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  private RemediationRequest typed(String name) {
    return server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .withName(name)
        .get();
  }

  private static boolean onPath(String command) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(java.nio.file.Path.of(dir, command)));
  }
}
