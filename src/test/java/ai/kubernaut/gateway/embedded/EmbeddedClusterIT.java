package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedClusterIT {

  private static final String CONTROLLER_NAMESPACE = "kubernaut-system";
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static EmbeddedCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() {
    cluster = EmbeddedCluster.start(0, CONTROLLER_NAMESPACE, dir.resolve("kube/config"));
    client = cluster.client();
    // kubectl talks to the server directly, past the client's wait for the seeding
    cluster.awaitSeeded();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void exposesItsEndpointAndKubeconfig() {
    assertThat(cluster.apiUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(cluster.kubeconfig()).isEqualTo(dir.resolve("kube/config").toAbsolutePath());
    assertThat(cluster.kubeconfig()).isRegularFile();
    assertThat(cluster.kubectlHint())
        .isEqualTo("kubectl --kubeconfig " + cluster.kubeconfig() + " get remediationrequests -A");
    assertThat(client.getConfiguration().getRequestRetryBackoffLimit()).isZero();
    assertThat(client.getKubernetesVersion().getGitVersion())
        .isEqualTo(DiscoveryDocuments.SERVER_GIT_VERSION);
  }

  @Test
  void seedsNamespacesAndNode() {
    assertThat(client.namespaces().withName(CONTROLLER_NAMESPACE).get()).isNotNull();
    assertThat(client.namespaces().withName("demo").get().getMetadata().getLabels())
        .containsEntry("kubernaut.ai/managed", "true");
    assertThat(client.nodes().withName("demo-node-1").get()).isNotNull();
  }

  @Test
  void seedsTheDemoWorkloadWithAControllerOwnerChain() {
    Deployment deployment =
        client.apps().deployments().inNamespace("demo").withName("checkout").get();
    ReplicaSet replicaSet =
        client.apps().replicaSets().inNamespace("demo").withName("checkout-7d9f8b6c5").get();
    Pod pod = client.pods().inNamespace("demo").withName("checkout-7d9f8b6c5-x2k4p").get();

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsExactlyEntriesOf(Map.of("app", "checkout"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx");
    assertControllerReference(
        replicaSet.getMetadata().getOwnerReferences(),
        "Deployment",
        deployment.getMetadata().getName(),
        deployment.getMetadata().getUid());
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "checkout");
    assertControllerReference(
        pod.getMetadata().getOwnerReferences(),
        "ReplicaSet",
        replicaSet.getMetadata().getName(),
        replicaSet.getMetadata().getUid());
    assertThat(
            client
                .services()
                .inNamespace("demo")
                .withName("checkout")
                .get()
                .getSpec()
                .getSelector())
        .containsExactlyEntriesOf(Map.of("app", "checkout"));
    assertThat(client.pods().inNamespace("demo").withLabel("app", "checkout").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("checkout-7d9f8b6c5-x2k4p");
  }

  @Test
  void registersTheRemediationRequestCrdWithStatusSubresource() {
    var crd =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("remediationrequests.kubernaut.ai")
            .get();
    assertThat(crd).isNotNull();
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("rr");

    GenericKubernetesResource created =
        remediationRequests().resource(remediationRequest("rr-status-dropped")).create();
    assertThat(created.getAdditionalProperties()).doesNotContainKey("status");
    assertThat(created.getAdditionalProperties()).containsKey("spec");

    GenericKubernetesResource patched =
        remediationRequests()
            .resource(
                new GenericKubernetesResourceBuilder(created)
                    .addToAdditionalProperties("status", Map.of("phase", "Processing"))
                    .build())
            .patchStatus();
    assertThat(patched.<String>get("status", "phase")).isEqualTo("Processing");
  }

  @Test
  void servesDiscoveryDocuments() throws Exception {
    JsonNode api = getJson("/api?timeout=32s");
    assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
    assertThat(api.path("versions").get(0).asText()).isEqualTo("v1");

    JsonNode apis = getJson("/apis");
    assertThat(apis.path("kind").asText()).isEqualTo("APIGroupList");
    List<String> groupVersions = new ArrayList<>();
    apis.path("groups")
        .forEach(g -> groupVersions.add(g.path("preferredVersion").path("groupVersion").asText()));
    assertThat(groupVersions)
        .containsExactlyInAnyOrder(
            "apps/v1",
            "batch/v1",
            "coordination.k8s.io/v1",
            "apiextensions.k8s.io/v1",
            "kubernaut.ai/v1alpha1",
            "autoscaling/v2",
            "policy/v1");

    JsonNode core = getJson("/api/v1");
    assertThat(core.path("kind").asText()).isEqualTo("APIResourceList");
    assertThat(core.findValuesAsText("name"))
        .contains("pods", "namespaces", "nodes", "services", "events", "configmaps");

    JsonNode kubernaut = getJson("/apis/kubernaut.ai/v1alpha1?timeout=32s");
    assertThat(kubernaut.path("groupVersion").asText()).isEqualTo("kubernaut.ai/v1alpha1");
    assertThat(kubernaut.findValuesAsText("name"))
        .containsExactly("remediationrequests", "remediationrequests/status");

    assertThat(getJson("/apis/coordination.k8s.io/v1").findValuesAsText("name"))
        .containsExactly("leases");
  }

  @Test
  void kubectlListsRemediationRequestsAndPods() throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
    remediationRequests().resource(remediationRequest("rr-kubectl")).create();

    Result all = kubectl("get", "remediationrequests", "-A");
    assertThat(all.exitCode()).as(all.output()).isZero();
    assertThat(all.output()).contains("rr-kubectl").contains(CONTROLLER_NAMESPACE);

    Result shortName = kubectl("get", "rr", "-n", CONTROLLER_NAMESPACE);
    assertThat(shortName.exitCode()).as(shortName.output()).isZero();
    assertThat(shortName.output()).contains("rr-kubectl");

    Result pods = kubectl("get", "pods", "-n", "demo");
    assertThat(pods.exitCode()).as(pods.output()).isZero();
    assertThat(pods.output()).contains("checkout-7d9f8b6c5-x2k4p");

    Result describe = kubectl("describe", "pod", "-n", "demo", "checkout-7d9f8b6c5-x2k4p");
    assertThat(describe.exitCode()).as(describe.output()).isZero();
    assertThat(describe.output())
        .containsPattern("Controlled By:\\s+ReplicaSet/checkout-7d9f8b6c5");

    Result version = kubectl("version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output())
        .contains("Server Version: " + DiscoveryDocuments.SERVER_GIT_VERSION);
  }

  @Test
  void kubectlGetShowsTheCrdsPrinterColumns() throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
    GenericKubernetesResource created =
        remediationRequests()
            .resource(
                new GenericKubernetesResourceBuilder()
                    .withApiVersion("kubernaut.ai/v1alpha1")
                    .withKind("RemediationRequest")
                    .withNewMetadata()
                    .withName("rr-columns")
                    .withNamespace(CONTROLLER_NAMESPACE)
                    .endMetadata()
                    .addToAdditionalProperties(
                        "spec",
                        Map.of(
                            "signalName", "KubePodCrashLooping",
                            "signalSource", "prometheus-adapter",
                            "clusterID", "prod-eu",
                            "targetResource",
                                Map.of(
                                    "kind", "Deployment", "name", "checkout", "namespace", "demo")))
                    .build())
            .create();
    created.setAdditionalProperty(
        "status",
        Map.of(
            "overallPhase", "Completed",
            "completionStatus", Map.of("outcome", "Remediated"),
            "workflowSelection", Map.of("workflowDisplayName", "restart-deployment")));
    remediationRequests().resource(created).updateStatus();

    Result table = kubectl("get", "rr", "-n", CONTROLLER_NAMESPACE, "rr-columns");
    assertThat(table.exitCode()).as(table.output()).isZero();
    List<String> lines = table.output().lines().toList();
    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly(
            "NAME", "PHASE", "OUTCOME", "ALERT", "RCA TARGET", "WORKFLOW", "CONFIDENCE", "AGE");
    assertThat(lines.get(1))
        .contains(
            "rr-columns", "Completed", "Remediated", "KubePodCrashLooping", "restart-deployment")
        .doesNotContain("prod-eu");

    Result wide = kubectl("get", "rr", "-A", "-o", "wide");
    assertThat(wide.exitCode()).as(wide.output()).isZero();
    assertThat(wide.output().lines().findFirst().orElseThrow())
        .startsWith("NAMESPACE")
        .contains("CLUSTER", "SOURCE", "SIGNAL NS", "SIGNAL TARGET", "RCA NS");
    assertThat(wide.output())
        .containsPattern(
            "kubernaut-system\\s+rr-columns\\s+Completed.*prod-eu\\s+prometheus-adapter\\s+demo");
  }

  @Test
  void kubectlPatchesTheStatusSubresource() throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
    remediationRequests().resource(remediationRequest("rr-kubectl-status")).create();

    Result patch =
        kubectl(
            "patch",
            "rr",
            "rr-kubectl-status",
            "-n",
            CONTROLLER_NAMESPACE,
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"phase\":\"Processing\"}}");

    assertThat(patch.exitCode()).as(patch.output()).isZero();
    GenericKubernetesResource stored = remediationRequests().withName("rr-kubectl-status").get();
    assertThat(stored.<String>get("status", "phase")).isEqualTo("Processing");
  }

  @Test
  void theClientsFirstRequestWaitsForTheDemoWorkload() {
    try (EmbeddedCluster fresh =
        EmbeddedCluster.start(0, CONTROLLER_NAMESPACE, dir.resolve("fresh/config"))) {
      List<Pod> pods = fresh.client().pods().inNamespace("demo").list().getItems();

      assertThat(pods)
          .extracting(p -> p.getMetadata().getName())
          .containsExactly("checkout-7d9f8b6c5-x2k4p");
      assertThat(pods.get(0).getMetadata().getOwnerReferences()).hasSize(1);
      fresh.awaitSeeded();
    }
  }

  @Test
  void closeReleasesTheFixedPort() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    for (int round = 0; round < 2; round++) {
      try (EmbeddedCluster fixed =
          EmbeddedCluster.start(port, CONTROLLER_NAMESPACE, dir.resolve("fixed/config"))) {
        assertThat(fixed.apiUrl()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(fixed.client().namespaces().withName("demo").get()).isNotNull();
      }
    }
  }

  @Test
  void failsCleanlyWhenThePortIsTaken() throws Exception {
    int port;
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      port = taken.getLocalPort();
      assertThatThrownBy(
              () -> EmbeddedCluster.start(port, CONTROLLER_NAMESPACE, dir.resolve("busy/config")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + port);
    }
    try (EmbeddedCluster retried =
        EmbeddedCluster.start(port, CONTROLLER_NAMESPACE, dir.resolve("busy/config"))) {
      assertThat(retried.apiUrl()).endsWith(":" + port);
    }
  }

  private static void assertControllerReference(
      List<OwnerReference> references, String kind, String name, String uid) {
    assertThat(references).hasSize(1);
    OwnerReference reference = references.get(0);
    assertThat(reference.getApiVersion()).isEqualTo("apps/v1");
    assertThat(reference.getKind()).isEqualTo(kind);
    assertThat(reference.getName()).isEqualTo(name);
    assertThat(reference.getUid()).isNotBlank().isEqualTo(uid);
    assertThat(reference.getController()).isTrue();
    assertThat(reference.getBlockOwnerDeletion()).isTrue();
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      remediationRequests() {
    return client
        .genericKubernetesResources("kubernaut.ai/v1alpha1", "RemediationRequest")
        .inNamespace(CONTROLLER_NAMESPACE);
  }

  private static GenericKubernetesResource remediationRequest(String name) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("kubernaut.ai/v1alpha1")
        .withKind("RemediationRequest")
        .withNewMetadata()
        .withName(name)
        .withNamespace(CONTROLLER_NAMESPACE)
        .endMetadata()
        .addToAdditionalProperties("spec", Map.of("signalName", "KubePodCrashLooping"))
        .addToAdditionalProperties("status", Map.of("phase", "ShouldBeDropped"))
        .build();
  }

  private static JsonNode getJson(String path) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return JSON.readTree(response.body());
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(KUBECTL.toString());
    command.add("--kubeconfig");
    command.add(cluster.kubeconfig().toString());
    command.add("--cache-dir");
    command.add(dir.resolve("kubectl-cache").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl timed out: " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.exitValue(), output);
  }
}
