package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.TargetResource;
import ai.kubernaut.gateway.testing.AuditLog;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The webhook → RemediationRequest path against a real kube-apiserver: created, duplicates counted
 * exactly (real optimistic concurrency), every owner-chain kind, scope and foreign clusters.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignalPathRealIT {

  static final String CLUSTER_ID = "real-test-cluster";

  RealApiServer server;
  String controllerNamespace;
  String ns;
  Workloads workloads;
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    workloads = new Workloads(server.admin());
    gateway =
        RealGateways.start(
            server,
            controllerNamespace,
            Files.createTempDirectory("signal-path-real"),
            "cluster:\n  id: \"" + CLUSTER_ID + "\"\n");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void anAlertAboutAPodCreatesOneRemediationRequestForItsDeployment() {
    String pod = workloads.deploymentWithPod(ns, "checkout", Map.of());

    HttpResponse<String> response = post(Alerts.webhook("KubePodCrashLooping", podLabels(ns, pod)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("created");
    assertThat(body.path("remediationRequestNamespace").asText()).isEqualTo(controllerNamespace);
    RemediationRequest rr = remediationRequest(body.path("fingerprint").asText());
    assertThat(rr.getMetadata().getName()).isEqualTo(body.path("remediationRequestName").asText());
    assertThat(rr.getMetadata().getUid()).isNotBlank();
    assertThat(rr.getSpec().getSignalName()).isEqualTo("KubePodCrashLooping");
    assertThat(target(rr)).isEqualTo(List.of("Deployment", "checkout", ns, "apps/v1"));
    assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1);
    assertThat(rr.getStatus().getDeduplication().getFirstSeenAt()).isNotBlank();
  }

  @Test
  void aRepeatIsCountedOnTheSameRemediationRequest() {
    String pod = workloads.deploymentWithPod(ns, "payments", Map.of());
    String first = post(Alerts.webhook("HighLatency", podLabels(ns, pod))).body();

    HttpResponse<String> repeat = post(Alerts.webhook("HighLatency", podLabels(ns, pod)));

    assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    JsonNode body = GatewayHarness.parse(repeat.body());
    assertThat(body.path("status").asText()).isEqualTo("duplicate");
    assertThat(body.path("metadata").path("count").asInt()).isEqualTo(2);
    String fingerprint = GatewayHarness.parse(first).path("fingerprint").asText();
    assertThat(body.path("fingerprint").asText()).isEqualTo(fingerprint);
    assertThat(remediationRequest(fingerprint).getStatus().getDeduplication().getOccurrenceCount())
        .isEqualTo(2);
  }

  /**
   * A real server rejects a status write carrying a stale resourceVersion with 409; concurrent
   * repeats must still be counted exactly, with one RemediationRequest.
   */
  @Test
  void concurrentRepeatsAreCountedExactlyOnOneRemediationRequest() {
    String pod = workloads.deploymentWithPod(ns, "search", Map.of());
    int senders = 60;
    long mark = server.auditLog().mark();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<HttpResponse<String>>> responses =
          IntStream.range(0, senders)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> post(Alerts.webhook("Saturated", podLabels(ns, pod))), pool))
              .toList();
      List<Integer> statuses = responses.stream().map(f -> f.join().statusCode()).toList();

      assertThat(statuses).containsOnly(201, 202);
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
      String fingerprint =
          GatewayHarness.parse(responses.getFirst().join().body()).path("fingerprint").asText();
      assertThat(remediationRequestsFor(fingerprint)).hasSize(1);
      assertThat(
              remediationRequest(fingerprint).getStatus().getDeduplication().getOccurrenceCount())
          .isEqualTo(senders);
      List<AuditLog.Request> writes =
          server.auditLog().requestsSince(mark, RealApiServer.GATEWAY_USER).stream()
              .filter(r -> r.isRemediationRequest() && r.isWrite())
              .toList();
      System.out.println(
          "real API server answers to "
              + writes.size()
              + " RemediationRequest writes for "
              + senders
              + " concurrent signals: "
              + writes.stream()
                  .collect(
                      java.util.stream.Collectors.groupingBy(
                          r -> r.verb() + " " + r.code(),
                          java.util.TreeMap::new,
                          java.util.stream.Collectors.counting())));
    } finally {
      pool.shutdownNow();
    }
  }

  /** The body is the Event exactly as the real server serves it, fields and time formats. */
  @Test
  void aKubernetesEventAsTheServerServesItResolvesToTheDeployment() {
    String pod = workloads.deploymentWithPod(ns, "recommender", Map.of());
    server
        .admin()
        .events()
        .v1()
        .events()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.events.v1.EventBuilder()
                .withNewMetadata()
                .withName(pod + ".oom")
                .endMetadata()
                .withEventTime(
                    new io.fabric8.kubernetes.api.model.MicroTime("2026-11-21T11:57:12.123456Z"))
                .withReportingController("kubelet")
                .withReportingInstance("worker-1")
                .withAction("Killing")
                .withReason("OOMKilling")
                .withNewRegarding()
                .withKind("Pod")
                .withNamespace(ns)
                .withName(pod)
                .withApiVersion("v1")
                .endRegarding()
                .withNote("Memory cgroup out of memory: Killed process 4242 (java)")
                .withType("Warning")
                .build())
        .create();
    String served =
        server.admin().raw("/apis/events.k8s.io/v1/namespaces/" + ns + "/events/" + pod + ".oom");

    HttpResponse<String> response = gateway.post(KubernetesEventSource.PATH, served);

    assertThat(response.statusCode()).as(served + "\n" + response.body()).isEqualTo(201);
    RemediationRequest rr =
        remediationRequest(GatewayHarness.parse(response.body()).path("fingerprint").asText());
    assertThat(rr.getSpec().getSignalSource()).isEqualTo("kubernetes-events");
    assertThat(target(rr)).isEqualTo(List.of("Deployment", "recommender", ns, "apps/v1"));
  }

  @Test
  void statefulSetDaemonSetAndCronJobPodsResolveToTheirControllers() {
    String db = workloads.statefulSetWithPod(ns, "db");
    String agent = workloads.daemonSetWithPod(ns, "log-agent");
    String report = workloads.cronJobWithPod(ns, "nightly-report");

    assertThat(createdTarget(podLabels(ns, db)))
        .isEqualTo(List.of("StatefulSet", "db", ns, "apps/v1"));
    assertThat(createdTarget(podLabels(ns, agent)))
        .isEqualTo(List.of("DaemonSet", "log-agent", ns, "apps/v1"));
    assertThat(createdTarget(podLabels(ns, report)))
        .isEqualTo(List.of("CronJob", "nightly-report", ns, "batch/v1"));
  }

  @Test
  void aBarePodIsItsOwnTarget() {
    String pod = workloads.barePod(ns, "debug-shell");

    assertThat(createdTarget(podLabels(ns, pod)))
        .isEqualTo(List.of("Pod", "debug-shell", ns, "v1"));
  }

  @Test
  void aDeploymentNamedDirectlyIsTheTarget() {
    workloads.deploymentWithPod(ns, "frontend", Map.of());

    assertThat(createdTarget(Map.of("namespace", ns, "deployment", "frontend")))
        .isEqualTo(List.of("Deployment", "frontend", ns, "apps/v1"));
  }

  @Test
  void aSignalAboutAnUnmanagedNamespaceIsRejectedWithoutARemediationRequest() {
    String legacy = server.newNamespace("legacy", Map.of());
    String pod = workloads.deploymentWithPod(legacy, "billing", Map.of());

    HttpResponse<String> response = post(Alerts.webhook("HighErrorRate", podLabels(legacy, pod)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("rejected");
    assertThat(body.path("rejection").path("reason").asText()).isEqualTo("unmanaged_resource");
    assertThat(body.path("rejection").path("resource").asText())
        .isEqualTo(legacy + ":Deployment:billing");
    assertThat(remediationRequestsNaming(legacy)).isEmpty();
  }

  @Test
  void aWorkloadLabelledUnmanagedInAManagedNamespaceIsRejected() {
    String pod =
        workloads.deploymentWithPod(ns, "batch-importer", Map.of("kubernaut.ai/managed", "false"));

    HttpResponse<String> response = post(Alerts.webhook("Slow", podLabels(ns, pod)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(GatewayHarness.parse(response.body()).path("rejection").path("resource").asText())
        .isEqualTo(ns + ":Deployment:batch-importer");
  }

  @Test
  void aSignalFromAnotherClusterIsRejected() {
    String pod = workloads.deploymentWithPod(ns, "cart", Map.of());
    HttpResponse<String> response =
        post(Alerts.webhook(Map.of("cluster", "prod-us"), "Foreign", podLabels(ns, pod)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("rejection").path("reason").asText()).isEqualTo("foreign_cluster");
    assertThat(remediationRequestsNaming(ns))
        .noneMatch(rr -> rr.getSpec().getTargetResource().getName().equals("cart"));
  }

  @Test
  void aTargetThatDoesNotExistIsABadRequestNamingIt() {
    HttpResponse<String> response =
        post(Alerts.webhook("Gone", Map.of("namespace", ns, "pod", "ghost-1")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .isEqualTo(
            "Signal validation failed: target not found: "
                + ns
                + ":Pod:ghost-1 does not exist in the cluster");
  }

  private List<String> createdTarget(Map<String, String> labels) {
    HttpResponse<String> response = post(Alerts.webhook("Target", labels));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return target(
        remediationRequest(GatewayHarness.parse(response.body()).path("fingerprint").asText()));
  }

  private HttpResponse<String> post(String webhook) {
    return gateway.post(AlertmanagerSource.PATH, webhook);
  }

  private static Map<String, String> podLabels(String namespace, String pod) {
    return Map.of("namespace", namespace, "pod", pod);
  }

  private static List<String> target(RemediationRequest rr) {
    TargetResource t = rr.getSpec().getTargetResource();
    return List.of(t.getKind(), t.getName(), t.getNamespace(), t.getApiVersion());
  }

  private RemediationRequest remediationRequest(String fingerprint) {
    List<RemediationRequest> matching = remediationRequestsFor(fingerprint);
    assertThat(matching).as("RemediationRequests for " + fingerprint).hasSize(1);
    return matching.getFirst();
  }

  private List<RemediationRequest> remediationRequestsFor(String fingerprint) {
    return gateway.remediationRequests().stream()
        .filter(rr -> rr.getSpec().getSignalFingerprint().equals(fingerprint))
        .toList();
  }

  private List<RemediationRequest> remediationRequestsNaming(String namespace) {
    return gateway.remediationRequests().stream()
        .filter(rr -> namespace.equals(rr.getSpec().getTargetResource().getNamespace()))
        .toList();
  }
}
