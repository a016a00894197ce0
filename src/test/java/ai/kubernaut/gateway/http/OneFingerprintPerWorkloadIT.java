package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.testing.ClusterObjects;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever shape a signal about a workload takes (an alert naming its pod, the workload,
 * its ReplicaSet or its pod through {@code exported_*} labels; a Kubernetes Event about the pod or
 * the workload; a pod that existed before or one created just now), whatever extra labels it
 * carries (its node, this cluster's {@code cluster} label in the common or the alert's own labels,
 * labels naming kinds the gateway may not read or objects that do not exist), whichever of two
 * replicas answers it and whether that replica's caches hold the objects yet, the workload gets one
 * fingerprint and one RemediationRequest. Draws come from a fixed seed, so a failure names an input
 * that reproduces it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneFingerprintPerWorkloadIT {

  static final long SEED = 20261205L;
  static final int DRAWS = 120;
  static final String NS = "shop";
  static final String CLUSTER_ID = "prod-eu";
  static final Duration WATCH_LAG = Duration.ofSeconds(2);
  static final String EXPORTER_POD = "kube-state-metrics-7d9f8b6c5-x2k4p";
  static final ObjectMapper JSON = new ObjectMapper();

  /** A workload of the test cluster and the objects signals name it by. */
  record Workload(String kind, String name, String labelKey, String pod, String replicaSet) {
    String expectedFingerprint() {
      return Fingerprint.of("", ResourceRef.of(kind, NS, name)).value();
    }
  }

  @TempDir static Path dir;
  MockCluster cluster;
  ClusterObjects objects;
  final List<GatewayHarness> replicas = new ArrayList<>();
  final List<Workload> workloads = new ArrayList<>();
  final Set<String> freshPods = new java.util.HashSet<>();

  @BeforeAll
  void start() throws IOException {
    cluster = MockCluster.start();
    objects = new ClusterObjects(cluster.client());
    cluster.managedNamespace(NS);
    cluster.namespace("monitoring", Map.of());
    cluster.deploymentWithPod("monitoring", "kube-state-metrics", Map.of());
    cluster.service("monitoring", "kube-state-metrics", Map.of("app", "kube-state-metrics"));
    objects.node("worker-1", Map.of());
    objects.node("worker-2", Map.of("kubernaut.ai/managed", "true"));
    cluster.discovery().add("postgresql.cnpg.io", "v1", "clusters", "cluster", "Cluster", true);
    cluster.discovery().add("capsule.clastix.io", "v1beta2", "tenants", "tenant", "Tenant", false);
    cluster
        .discovery()
        .add("argoproj.io", "v1alpha1", "applications", "application", "Application", true);
    // what the gateway's ClusterRole does not grant answers 403, as RBAC would
    for (String forbidden :
        List.of(
            "/api/v1/namespaces/shop/configmaps/",
            "/api/v1/namespaces/shop/secrets/",
            "/apis/coordination.k8s.io/v1/namespaces/shop/",
            "/apis/postgresql.cnpg.io/",
            "/apis/capsule.clastix.io/",
            "/apis/argoproj.io/")) {
      cluster.faults().fail("GET", forbidden, 403, Integer.MAX_VALUE);
    }
    cluster.faults().delayWatchEvents(WATCH_LAG);
    addDeployment("checkout");
    workloads.add(
        new Workload(
            "StatefulSet", "db", "statefulset", objects.statefulSetWithPod(NS, "db"), null));
    for (String replica : List.of("a", "b")) {
      Path replicaDir = Files.createDirectories(dir.resolve(replica));
      replicas.add(
          GatewayHarness.start(
              cluster,
              replicaDir,
              """
              cluster:
                id: "%s"
              """
                  .formatted(CLUSTER_ID)));
    }
    // created while both replicas run: their caches learn of these only after the watch lag, so
    // early draws about them take the live-read path and later ones the cache
    addDeployment("payments");
    workloads.add(
        new Workload(
            "DaemonSet",
            "log-agent",
            "daemonset",
            objects.daemonSetWithPod(NS, "log-agent"),
            null));
    workloads.add(
        new Workload(
            "CronJob",
            "nightly-report",
            "cronjob",
            objects.cronJobWithPod(NS, "nightly-report"),
            null));
  }

  @AfterAll
  void stop() {
    replicas.forEach(GatewayHarness::close);
    cluster.close();
  }

  @Test
  void everySignalAboutAWorkloadGetsItsOneFingerprint() {
    Random random = new Random(SEED);
    Map<String, Set<String>> fingerprints = new TreeMap<>();
    for (int draw = 0; draw < DRAWS; draw++) {
      Workload workload = workloads.get(random.nextInt(workloads.size()));
      int replica = random.nextInt(replicas.size());
      Drawn signal = random.nextInt(4) == 0 ? event(random, workload) : alert(random, workload);
      HttpResponse<String> response = replicas.get(replica).post(signal.route(), signal.body());

      String input = "draw " + draw + " (seed " + SEED + ") to replica " + replica + ": " + signal;
      assertThat(response.statusCode()).as(input + " -> " + response.body()).isIn(201, 202);
      String fingerprint = GatewayHarness.parse(response.body()).path("fingerprint").asText();
      assertThat(fingerprint).as(input).isEqualTo(workload.expectedFingerprint());
      fingerprints.computeIfAbsent(workload.name(), k -> new TreeSet<>()).add(fingerprint);
    }

    assertThat(fingerprints).allSatisfy((name, seen) -> assertThat(seen).as(name).hasSize(1));
    assertThat(freshPods).as("draws about pods no cache held yet").isNotEmpty();
    assertThat(cluster.faults().seen("GET", "/api/v1/namespaces/shop/pods/"))
        .as("pods read from the API because a replica's cache lagged")
        .isNotEmpty();
    Map<String, Long> requestsPerFingerprint =
        replicas.getFirst().remediationRequests().stream()
            .collect(
                Collectors.groupingBy(
                    rr -> rr.getSpec().getSignalFingerprint(), Collectors.counting()));
    assertThat(requestsPerFingerprint).allSatisfy((fp, count) -> assertThat(count).isOne());
    assertThat(requestsPerFingerprint.keySet())
        .containsExactlyInAnyOrderElementsOf(
            workloads.stream()
                .filter(w -> fingerprints.containsKey(w.name()))
                .map(Workload::expectedFingerprint)
                .toList());
  }

  record Drawn(String route, String description, byte[] body) {
    @Override
    public String toString() {
      return description;
    }
  }

  private Drawn alert(Random random, Workload workload) {
    Map<String, String> labels = new LinkedHashMap<>();
    switch (random.nextInt(workload.replicaSet() == null ? 3 : 4)) {
      case 0 -> {
        labels.put("namespace", NS);
        labels.put("pod", podOf(random, workload));
      }
      case 1 -> {
        labels.put("namespace", NS);
        labels.put(workload.labelKey(), workload.name());
      }
      case 2 -> {
        // scraped from kube-state-metrics with honor_labels: false
        labels.put("namespace", "monitoring");
        labels.put("pod", EXPORTER_POD);
        labels.put("exported_namespace", NS);
        labels.put("exported_pod", podOf(random, workload));
      }
      default -> {
        labels.put("namespace", NS);
        labels.put("replicaset", workload.replicaSet());
      }
    }
    if (random.nextBoolean()) {
      labels.put("node", random.nextBoolean() ? "worker-1" : "worker-2");
    }
    Map<String, String> common = new HashMap<>();
    switch (random.nextInt(3)) {
      case 0 -> labels.put("cluster", CLUSTER_ID);
      case 1 -> common.put("cluster", CLUSTER_ID);
      default -> {}
    }
    List<String> others =
        List.of(
            "configmap",
            "secret",
            "lease",
            "tenant",
            "application",
            "horizontalpodautoscaler",
            "poddisruptionbudget",
            "persistentvolumeclaim");
    int extra = random.nextInt(3);
    for (int i = 0; i < extra; i++) {
      labels.put(others.get(random.nextInt(others.size())), "unrelated-" + random.nextInt(3));
    }
    for (String target : List.of("job", "service", "container", "instance")) {
      if (random.nextInt(3) == 0) {
        labels.put(target, target.equals("instance") ? "10.0.0.7:8080" : "kubelet");
      }
    }
    String alert = SignalPathIT.alertJson("Drawn", json(labels));
    String body = "{\"commonLabels\":" + json(common) + ",\"alerts\":[" + alert + "]}";
    return new Drawn(
        AlertmanagerSource.PATH,
        "alert " + labels + " common " + common,
        body.getBytes(StandardCharsets.UTF_8));
  }

  private Drawn event(Random random, Workload workload) {
    boolean aboutPod = random.nextBoolean();
    String kind = aboutPod ? "Pod" : workload.kind();
    String name = aboutPod ? podOf(random, workload) : workload.name();
    String apiVersion = aboutPod ? "v1" : (kind.equals("CronJob") ? "batch/v1" : "apps/v1");
    String body =
        """
        {"apiVersion":"v1","kind":"Event",
         "metadata":{"name":"%s.%d","namespace":"shop"},
         "involvedObject":{"kind":"%s","namespace":"shop","name":"%s","apiVersion":"%s"},
         "reason":"BackOff","message":"drawn","type":"Warning",
         "firstTimestamp":"2026-11-21T11:55:00Z"}
        """
            .formatted(name, random.nextInt(1_000_000), kind, name, apiVersion);
    return new Drawn(
        KubernetesEventSource.PATH,
        "event about " + kind + " " + name,
        body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The workload's first pod, or now and then a pod of its ReplicaSet created just now: no
   * replica's cache holds it yet, so it is read from the API, and the watch event arrives later.
   */
  private String podOf(Random random, Workload workload) {
    if (workload.replicaSet() == null || random.nextInt(4) != 0) {
      return workload.pod();
    }
    String pod =
        workload.replicaSet()
            + "-"
            + Integer.toString(36 * 36 * 36 + random.nextInt(1_000_000), 36);
    if (!freshPods.add(pod)) {
      return pod;
    }
    ReplicaSet owner =
        cluster.client().apps().replicaSets().inNamespace(NS).withName(workload.replicaSet()).get();
    objects.pod(
        NS,
        pod,
        Map.of("app", workload.name(), "pod-template-hash", "7d9f8b6c5"),
        ClusterObjects.controller(owner, "apps/v1"));
    return pod;
  }

  private void addDeployment(String name) {
    String pod = cluster.deploymentWithPod(NS, name, Map.of());
    workloads.add(
        new Workload(
            "Deployment", name, "deployment", pod, pod.substring(0, pod.lastIndexOf('-'))));
  }

  private static String json(Map<String, String> labels) {
    try {
      return JSON.writeValueAsString(labels);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
