package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.TargetResource;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.testing.ClusterObjects;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every target-resolution and scope rule against the mock API server with realistic objects. One
 * gateway serves the whole class; each test works on its own objects. Watch events reach the
 * gateway's caches late, so objects created or changed during a test are cache misses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetResolutionIT {

  static final String NS = "shop";
  static final String CLUSTER_ID = "prod-eu";
  static final Duration WATCH_LAG = Duration.ofSeconds(3);

  @TempDir static Path dir;
  MockCluster cluster;
  ClusterObjects objects;
  GatewayHarness gateway;
  FaultDispatcher server;

  @BeforeAll
  void start() {
    cluster = MockCluster.start();
    objects = new ClusterObjects(cluster.client());
    cluster.managedNamespace(NS);
    cluster.namespace("monitoring", Map.of());
    cluster.deploymentWithPod(NS, "checkout", Map.of());
    cluster.deploymentWithPod(NS, "payments", Map.of());
    cluster.deploymentWithPod(NS, "search", Map.of());
    cluster.deploymentWithPod(NS, "batch-importer", Map.of("kubernaut.ai/managed", "false"));
    cluster.deploymentWithPod(NS, "frontend", Map.of());
    cluster.deploymentWithPod(NS, "late", Map.of());
    cluster.deploymentWithPod(NS, "adopter", Map.of());
    cluster.service(NS, "frontend-svc", Map.of("app", "frontend"));
    objects.statefulSetWithPod(NS, "db");
    objects.daemonSetWithPod(NS, "log-agent");
    objects.cronJobWithPod(NS, "nightly-report");
    objects.pod(NS, "debug-shell", Map.of(), null);
    objects.pod(NS, "adopter-7d9f8b6c5-orphn", Map.of("app", "adopter"), null);
    objects.node("worker-1", Map.of("kubernaut.ai/managed", "true"));
    objects.node("worker-2", Map.of());
    objects.horizontalPodAutoscaler(NS, "checkout-hpa", "checkout");
    objects.horizontalPodAutoscaler(NS, "flaky-hpa", "checkout");
    objects.podDisruptionBudget(NS, "payments-pdb", "payments");
    objects.podDisruptionBudget(NS, "busy-pdb", "payments");
    cluster.discovery().add("example.com", "v1", "databases", "database", "Database", true);
    cluster.discovery().add("other.example", "v1", "databases", "database", "Database", true);
    objects.custom("example.com", "v1", "Database", "databases", NS, "orders-db");
    objects.custom("example.com", "v1", "Database", "databases", NS, "twin-db");
    objects.custom("other.example", "v1", "Database", "databases", NS, "twin-db");
    cluster.deploymentWithPod("monitoring", "kube-state-metrics", Map.of());
    cluster.service("monitoring", "kube-state-metrics", Map.of("app", "kube-state-metrics"));
    cluster.deploymentWithPod(NS, "storefront", Map.of());
    cluster.service(NS, "storefront-svc", Map.of("app", "storefront"));
    objects.finishedPod(NS, "storefront-1-migrate", Map.of("app", "storefront"));
    objects.terminatingPod(NS, "storefront-2-old", Map.of("app", "storefront"));
    cluster.deploymentWithPod(NS, "shouty", Map.of("kubernaut.ai/managed", "False"));
    objects.pod(
        NS,
        "etcd-worker-1",
        Map.of("component", "etcd"),
        MockCluster.controller(
            "v1", "Node", cluster.client().nodes().withName("worker-1").get().getMetadata()));
    objects.pod(
        NS,
        "widget-agent",
        Map.of(),
        new OwnerReferenceBuilder()
            .withApiVersion("example.com/v1")
            .withKind("ClusterWidget")
            .withName("big-widget")
            .withUid("0b7e0f4c-widget")
            .withController(true)
            .build());
    objects.pod(
        NS,
        "checkout-5f6d4c3b2-old12",
        Map.of("app", "checkout", "pod-template-hash", "5f6d4c3b2"),
        new OwnerReferenceBuilder()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withName("checkout-5f6d4c3b2")
            .withUid("5f6d4c3b2-pruned")
            .withController(true)
            .build());
    objects.horizontalPodAutoscaler(NS, "quiet-hpa", "checkout");
    cluster
        .client()
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(NS)
        .withName("quiet-hpa")
        .edit(
            h -> {
              h.getMetadata().setLabels(Map.of("kubernaut.ai/managed", "false"));
              return h;
            });
    cluster
        .discovery()
        .add("example.com", "v1", "clusterwidgets", "clusterwidget", "ClusterWidget", false);
    cluster.discovery().add("postgresql.cnpg.io", "v1", "clusters", "cluster", "Cluster", true);
    cluster
        .discovery()
        .add("cert-manager.io", "v1", "certificates", "certificate", "Certificate", true);
    objects.cronJobWithPod("monitoring", "backup");
    String ordersPod = cluster.deploymentWithPod(NS, "orders", Map.of());
    cluster.service(NS, "orders", Map.of("app", "orders"));
    runsOn(NS, ordersPod, "worker-2");
    String podMonitorExporter =
        cluster.deploymentWithPod("monitoring", "node-state-exporter", Map.of());
    runsOn("monitoring", podMonitorExporter, "worker-2");
    runsOn(NS, "db-0", "worker-2");
    String nodeExporter = cluster.deploymentWithPod("monitoring", "node-exporter", Map.of());
    cluster.service("monitoring", "node-exporter", Map.of("app", "node-exporter"));
    runsOn("monitoring", nodeExporter, "worker-1");
    cluster.faults().delayWatchEvents(WATCH_LAG);
    gateway =
        GatewayHarness.start(
            cluster,
            dir,
            """
            cluster:
              id: "%s"
            """
                .formatted(CLUSTER_ID));
    server = cluster.faults();
  }

  @BeforeEach
  void forgetRequests() {
    server.forgetSeen();
  }

  @AfterAll
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void podAlertResolvesThroughItsReplicaSetToTheDeploymentWithoutAnyApiRead() {
    JsonNode body = created(alert("{\"namespace\":\"shop\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "checkout", NS, "apps/v1"));
    assertThat(nonIncidentRequests()).isEmpty();
  }

  @Test
  void jobPodResolvesToItsCronJob() {
    JsonNode body =
        created(
            alert(
                "{\"namespace\":\"shop\",\"pod\":\"nightly-report-29001234-b8w4n\","
                    + "\"job_name\":\"nightly-report-29001234\"}"));

    assertThat(target(body)).isEqualTo(new Target("CronJob", "nightly-report", NS, "batch/v1"));
  }

  @Test
  void statefulSetAndDaemonSetPodsResolveToTheirControllers() {
    assertThat(target(created(alert("{\"namespace\":\"shop\",\"pod\":\"db-0\"}"))))
        .isEqualTo(new Target("StatefulSet", "db", NS, "apps/v1"));
    assertThat(target(created(alert("{\"namespace\":\"shop\",\"pod\":\"log-agent-x7k2q\"}"))))
        .isEqualTo(new Target("DaemonSet", "log-agent", NS, "apps/v1"));
  }

  @Test
  void aBarePodIsItsOwnTarget() {
    JsonNode body = created(alert("{\"namespace\":\"shop\",\"pod\":\"debug-shell\"}"));

    assertThat(target(body)).isEqualTo(new Target("Pod", "debug-shell", NS, "v1"));
  }

  @Test
  void nodeAlertsTargetTheNodeAndOnlyALabelledNodeIsManaged() {
    JsonNode managed = created(alert("{\"node\":\"worker-1\",\"namespace\":\"shop\"}"));
    assertThat(target(managed)).isEqualTo(new Target("Node", "worker-1", null, "v1"));

    HttpResponse<String> unlabelled =
        gateway.post(AlertmanagerSource.PATH, alert("{\"node\":\"worker-2\"}"));
    assertThat(unlabelled.statusCode()).isEqualTo(200);
    JsonNode rejection = GatewayHarness.parse(unlabelled.body()).path("rejection");
    assertThat(rejection.path("reason").asText()).isEqualTo("unmanaged_resource");
    assertThat(rejection.path("resource").asText()).isEqualTo("Node:worker-2");
  }

  @Test
  void aServiceEventResolvesToTheWorkloadBehindItsFirstPod() {
    HttpResponse<String> response =
        gateway.post(KubernetesEventSource.PATH, event("Service", "frontend-svc", "v1"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(singleRequestFor("frontend"))
        .isEqualTo(new Target("Deployment", "frontend", NS, "apps/v1"));
    assertThat(nonIncidentRequests()).isEmpty();
  }

  @Test
  void hpaAndPdbLabelsOutrankThePodAndAreNotTraversed() {
    JsonNode hpa =
        created(
            alert(
                "{\"namespace\":\"shop\",\"horizontalpodautoscaler\":\"checkout-hpa\","
                    + "\"pod\":\"checkout-7d9f8b6c5-x2k4p\"}"));
    assertThat(target(hpa))
        .isEqualTo(new Target("HorizontalPodAutoscaler", "checkout-hpa", NS, "autoscaling/v2"));

    JsonNode pdb =
        created(alert("{\"namespace\":\"shop\",\"poddisruptionbudget\":\"payments-pdb\"}"));
    assertThat(target(pdb))
        .isEqualTo(new Target("PodDisruptionBudget", "payments-pdb", NS, "policy/v1"));
  }

  @Test
  void aWorkloadLabelOutranksThePodLabel() {
    JsonNode body =
        created(
            alert(
                "{\"namespace\":\"shop\",\"deployment\":\"search\","
                    + "\"pod\":\"payments-7d9f8b6c5-x2k4p\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "search", NS, "apps/v1"));
  }

  @Test
  void reservedLabelsNeverBecomeTargets() {
    HttpResponse<String> onlyReserved =
        gateway.post(
            AlertmanagerSource.PATH,
            alert(
                "{\"namespace\":\"shop\",\"job\":\"nightly-report-29001234\",\"service\":\"frontend-svc\","
                    + "\"instance\":\"10.0.0.7:8080\",\"endpoint\":\"http\",\"container\":\"app\"}"));
    assertThat(onlyReserved.statusCode()).isEqualTo(400);
    assertThat(GatewayHarness.parse(onlyReserved.body()).path("detail").asText())
        .contains("names no Kubernetes resource");

    JsonNode withPod =
        created(
            alert(
                "{\"namespace\":\"shop\",\"job\":\"nightly-report-29001234\",\"service\":\"frontend-svc\","
                    + "\"container\":\"app\",\"pod\":\"payments-7d9f8b6c5-x2k4p\"}"));
    assertThat(target(withPod)).isEqualTo(new Target("Deployment", "payments", NS, "apps/v1"));
    assertThat(server.seen())
        .noneMatch(s -> s.path().contains("/jobs/") || s.path().contains("/services/"));
  }

  @Test
  void exportedNamespaceGoesWithExportedPodNotWithTheExportersOwnPod() {
    JsonNode body =
        created(
            alert(
                "{\"namespace\":\"monitoring\",\"pod\":\"kube-state-metrics-7d9f8b6c5-x2k4p\","
                    + "\"exported_namespace\":\"shop\",\"exported_pod\":\"search-7d9f8b6c5-x2k4p\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "search", NS, "apps/v1"));
  }

  @Test
  void aPodAlertCarryingItsNodeResolvesToThePodsWorkload() {
    JsonNode body =
        created(
            alert(
                "{\"namespace\":\"shop\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\",\"node\":\"worker-2\","
                    + "\"job\":\"kubelet\",\"service\":\"kubelet\",\"container\":\"app\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "checkout", NS, "apps/v1"));
  }

  @Test
  void aKubeStateMetricsNodeAlertCarryingTheExportersPodResolvesToTheNode() {
    JsonNode body =
        created(
            alert(
                "{\"node\":\"worker-1\",\"namespace\":\"monitoring\","
                    + "\"pod\":\"kube-state-metrics-7d9f8b6c5-x2k4p\",\"service\":\"kube-state-metrics\","
                    + "\"job\":\"kube-state-metrics\",\"container\":\"kube-state-metrics\"}"));

    assertThat(target(body)).isEqualTo(new Target("Node", "worker-1", null, "v1"));
  }

  @Test
  void aStaticPodIsItsOwnTargetAndNeverItsNode() {
    JsonNode body = created(alert("{\"namespace\":\"shop\",\"pod\":\"etcd-worker-1\"}"));

    assertThat(target(body)).isEqualTo(new Target("Pod", "etcd-worker-1", NS, "v1"));
  }

  @Test
  void aClusterScopedOwnerHasNoNamespaceAndItsScopeIsNotTheirPodsNamespace() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH, alert("{\"namespace\":\"shop\",\"pod\":\"widget-agent\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode rejection = GatewayHarness.parse(response.body()).path("rejection");
    assertThat(rejection.path("reason").asText()).isEqualTo("unmanaged_resource");
    assertThat(rejection.path("resource").asText()).isEqualTo("ClusterWidget:big-widget");
  }

  @Test
  void aPodWhoseReplicaSetWasPrunedResolvesToTheDeployment() {
    JsonNode body = created(alert("{\"namespace\":\"shop\",\"pod\":\"checkout-5f6d4c3b2-old12\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "checkout", NS, "apps/v1"));
  }

  @Test
  void aServiceStandsForItsRunningPodsNotForFinishedOrTerminatingOnes() {
    HttpResponse<String> response =
        gateway.post(KubernetesEventSource.PATH, event("Service", "storefront-svc", "v1"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(singleRequestFor("storefront"))
        .isEqualTo(new Target("Deployment", "storefront", NS, "apps/v1"));
  }

  @Test
  void labelsNamingKindsTheGatewayMayNotReadArePassedOverOnceAndForAll() {
    String configMaps = "/api/v1/namespaces/shop/configmaps/";
    server.fail("GET", configMaps, 403, 1000);
    String labels =
        "{\"namespace\":\"shop\",\"configmap\":\"app-config\","
            + "\"pod\":\"search-7d9f8b6c5-x2k4p\",\"severity\":\"%s\"}";

    assertThat(target(created(alert(labels.formatted("warning")))))
        .isEqualTo(new Target("Deployment", "search", NS, "apps/v1"));
    assertThat(target(created(alert(labels.formatted("critical")))))
        .isEqualTo(new Target("Deployment", "search", NS, "apps/v1"));

    assertThat(server.seen("GET", configMaps)).hasSize(1);
    server.clearFaults();
  }

  @Test
  void anEventAboutAnObjectTheGatewayMayNotReadTargetsItAsTheApiServerNamedIt() {
    server.fail("GET", "/apis/cert-manager.io/v1/namespaces/shop/certificates/", 403, 1000);

    HttpResponse<String> response =
        gateway.post(
            KubernetesEventSource.PATH, event("Certificate", "shop-tls", "cert-manager.io/v1"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(singleRequestFor("shop-tls"))
        .isEqualTo(new Target("Certificate", "shop-tls", NS, "cert-manager.io/v1"));
    server.clearFaults();
  }

  @Test
  void theClusterLabelNeverNamesAResourceEvenWithAKindCalledCluster() {
    server.fail("GET", "/apis/postgresql.cnpg.io/", 403, 1000);

    JsonNode body =
        created(
            alert(
                "{\"cluster\":\""
                    + CLUSTER_ID
                    + "\",\"namespace\":\"shop\",\"pod\":\"payments-7d9f8b6c5-x2k4p\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "payments", NS, "apps/v1"));
    assertThat(server.seen("GET", "/apis/postgresql.cnpg.io/")).isEmpty();
    server.clearFaults();
  }

  @Test
  void aTargetCreatedAfterAMissIsFoundByTheNextSignal() {
    String labels =
        "{\"namespace\":\"shop\",\"horizontalpodautoscaler\":\"fresh-hpa\","
            + "\"pod\":\"search-7d9f8b6c5-x2k4p\",\"severity\":\"%s\"}";
    assertThat(target(created(alert(labels.formatted("warning")))))
        .isEqualTo(new Target("Deployment", "search", NS, "apps/v1"));

    objects.horizontalPodAutoscaler(NS, "fresh-hpa", "search");

    assertThat(target(created(alert(labels.formatted("critical")))))
        .isEqualTo(new Target("HorizontalPodAutoscaler", "fresh-hpa", NS, "autoscaling/v2"));
  }

  @Test
  void managedLabelValuesAreReadWhateverTheirCase() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            alert("{\"namespace\":\"shop\",\"pod\":\"shouty-7d9f8b6c5-x2k4p\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.parse(response.body()).path("rejection").path("resource").asText())
        .isEqualTo("shop:Deployment:shouty");
  }

  @Test
  void anyTargetKindsOwnManagedLabelIsHonoured() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            alert("{\"namespace\":\"shop\",\"horizontalpodautoscaler\":\"quiet-hpa\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.parse(response.body()).path("rejection").path("reason").asText())
        .isEqualTo("unmanaged_resource");
  }

  @Test
  void aPodNewerThanTheCacheIsReadOnceFromTheApi() {
    var rs = cluster.client().apps().replicaSets().inNamespace(NS).withName("late-7d9f8b6c5").get();
    objects.pod(
        NS,
        "late-7d9f8b6c5-fresh",
        Map.of("app", "late"),
        ClusterObjects.controller(rs, "apps/v1"));
    server.forgetSeen();

    JsonNode body = created(alert("{\"namespace\":\"shop\",\"pod\":\"late-7d9f8b6c5-fresh\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "late", NS, "apps/v1"));
    assertThat(nonIncidentRequests())
        .extracting(FaultDispatcher.Seen::path)
        .containsExactly("/api/v1/namespaces/shop/pods/late-7d9f8b6c5-fresh");
  }

  @Test
  void aCachedPodWithoutOwnerIsVerifiedAgainstTheApi() {
    var rs =
        cluster.client().apps().replicaSets().inNamespace(NS).withName("adopter-7d9f8b6c5").get();
    cluster
        .client()
        .pods()
        .inNamespace(NS)
        .withName("adopter-7d9f8b6c5-orphn")
        .edit(
            p -> {
              p.getMetadata().setOwnerReferences(List.of(ClusterObjects.controller(rs, "apps/v1")));
              return p;
            });
    server.forgetSeen();

    JsonNode body = created(alert("{\"namespace\":\"shop\",\"pod\":\"adopter-7d9f8b6c5-orphn\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "adopter", NS, "apps/v1"));
    assertThat(nonIncidentRequests())
        .extracting(FaultDispatcher.Seen::path)
        .containsExactly("/api/v1/namespaces/shop/pods/adopter-7d9f8b6c5-orphn");
  }

  @Test
  void aWorkloadLabelledUnmanagedInAManagedNamespaceIsRejected() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            alert("{\"namespace\":\"shop\",\"pod\":\"batch-importer-7d9f8b6c5-x2k4p\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("rejected");
    assertThat(body.path("rejection").path("resource").asText())
        .isEqualTo("shop:Deployment:batch-importer");
    assertThat(nonIncidentRequests()).isEmpty();
    assertThat(gateway.metrics().body())
        .contains("gateway_signals_rejected_total{reason=\"unmanaged_resource\"}");
  }

  @Test
  void aSignalFromAnotherClusterIsRejectedAndCounted() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            webhook(
                "{\"cluster\":\"prod-us\"}",
                "{\"namespace\":\"shop\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("status").asText()).isEqualTo("rejected");
    assertThat(body.path("fingerprint").asText()).isEmpty();
    assertThat(body.path("message").asText())
        .isEqualTo(
            "Signal rejected: its cluster label names a cluster this gateway does not serve");
    JsonNode rejection = body.path("rejection");
    assertThat(rejection.path("status").asText()).isEqualTo("rejected");
    assertThat(rejection.path("reason").asText()).isEqualTo("foreign_cluster");
    assertThat(rejection.path("resource").asText()).isEqualTo("shop:Pod:checkout-7d9f8b6c5-x2k4p");
    assertThat(response.body()).doesNotContain("prod-us");
    assertThat(server.seen()).isEmpty();
    assertThat(gateway.metrics().body())
        .contains("gateway_signals_rejected_total{reason=\"foreign_cluster\"} 1.0");
  }

  @Test
  void aHugeForeignClusterLabelIsNotRepeatedSoAThousandAlertBatchAnswersInAFewHundredKilobytes() {
    String cluster = "x".repeat(16_000);
    StringBuilder alerts = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      alerts
          .append(i == 0 ? "" : ",")
          .append(SignalPathIT.alertJson("Huge" + i, "{\"namespace\":\"shop\",\"pod\":\"p\"}"));
    }
    byte[] body =
        ("{\"commonLabels\":{\"cluster\":\"" + cluster + "\"},\"alerts\":[" + alerts + "]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, body);

    assertThat(response.statusCode()).isEqualTo(207);
    assertThat(GatewayHarness.parse(response.body()).path("summary").path("rejected").asInt())
        .isEqualTo(1000);
    assertThat(response.body()).doesNotContain("xxxxxxxx");
    assertThat(response.body().length()).isLessThan(1000 * 256);
  }

  @Test
  void anAlertLabelledWithThisClusterAndAnEventAboutItsWorkloadShareOneFingerprint() {
    HttpResponse<String> alert =
        gateway.post(
            AlertmanagerSource.PATH,
            webhook(
                "{\"cluster\":\"" + CLUSTER_ID + "\"}",
                "{\"namespace\":\"shop\",\"pod\":\"db-0\"}"));
    HttpResponse<String> event =
        gateway.post(KubernetesEventSource.PATH, event("StatefulSet", "db", "apps/v1"));

    assertThat(alert.statusCode()).isIn(201, 202);
    String fingerprint = GatewayHarness.parse(alert.body()).path("fingerprint").asText();
    assertThat(fingerprint)
        .isEqualTo(Fingerprint.of("", ResourceRef.of("StatefulSet", NS, "db")).value());
    assertThat(GatewayHarness.parse(event.body()).path("fingerprint").asText())
        .isEqualTo(fingerprint);
    assertThat(event.statusCode()).isEqualTo(202);
  }

  @Test
  void anAlertWhoseOwnClusterLabelNamesAnotherClusterIsRejected() {
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            alert("{\"cluster\":\"prod-us\",\"namespace\":\"shop\",\"pod\":\"db-0\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.parse(response.body()).path("rejection").path("reason").asText())
        .isEqualTo("foreign_cluster");
  }

  @Test
  void aWebhookWithAlertsOfTwoClustersHandlesEachOnItsOwn() {
    byte[] body =
        ("{\"alerts\":["
                + SignalPathIT.alertJson(
                    "TargetAlert",
                    "{\"cluster\":\"prod-us\",\"namespace\":\"shop\",\"pod\":\"db-0\"}")
                + ","
                + SignalPathIT.alertJson(
                    "TargetAlert",
                    "{\"cluster\":\""
                        + CLUSTER_ID
                        + "\",\"namespace\":\"shop\",\"pod\":\"log-agent-x7k2q\"}")
                + "]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, body);

    assertThat(response.statusCode()).isEqualTo(207);
    JsonNode parsed = GatewayHarness.parse(response.body());
    assertThat(parsed.path("results").get(0).path("status").asText()).isEqualTo("rejected");
    assertThat(parsed.path("results").get(1).path("status").asText()).isIn("created", "duplicate");
    assertThat(parsed.path("results").get(1).path("fingerprint").asText())
        .isEqualTo(Fingerprint.of("", ResourceRef.of("DaemonSet", NS, "log-agent")).value());
    JsonNode summary = parsed.path("summary");
    assertThat(summary.path("total").asInt()).isEqualTo(2);
    assertThat(summary.path("rejected").asInt()).isEqualTo(1);
    assertThat(summary.path("created").asInt() + summary.path("deduplicated").asInt()).isEqualTo(1);
  }

  @Test
  void anAlertAndAnEventAboutOneDeploymentShareOneFingerprintAndOneRemediationRequest() {
    HttpResponse<String> alert =
        gateway.post(
            AlertmanagerSource.PATH,
            alert("{\"namespace\":\"shop\",\"pod\":\"payments-7d9f8b6c5-x2k4p\"}"));
    HttpResponse<String> event =
        gateway.post(KubernetesEventSource.PATH, event("Deployment", "payments", "apps/v1"));

    String fingerprint = GatewayHarness.parse(alert.body()).path("fingerprint").asText();
    assertThat(fingerprint)
        .isEqualTo(Fingerprint.of("", ResourceRef.of("Deployment", NS, "payments")).value());
    assertThat(GatewayHarness.parse(event.body()).path("fingerprint").asText())
        .isEqualTo(fingerprint);
    assertThat(event.statusCode()).isEqualTo(202);
    assertThat(
            gateway.remediationRequests().stream()
                .filter(rr -> rr.getSpec().getSignalFingerprint().equals(fingerprint)))
        .hasSize(1);
  }

  @Test
  void aCustomKindResolvesInTheOneGroupThatHasTheObject() {
    JsonNode body = created(alert("{\"namespace\":\"shop\",\"database\":\"orders-db\"}"));

    assertThat(target(body)).isEqualTo(new Target("Database", "orders-db", NS, "example.com/v1"));
  }

  @Test
  void aCustomKindFoundInTwoGroupsKeepsNoApiVersion() {
    JsonNode body = created(alert("{\"namespace\":\"shop\",\"database\":\"twin-db\"}"));

    assertThat(target(body)).isEqualTo(new Target("Database", "twin-db", NS, null));
  }

  @Test
  void neitherATransientExistenceFailureNorAnAnswerIsRemembered() {
    String hpaPath = "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers/flaky-hpa";
    server.fail("GET", hpaPath, 503, 2);
    byte[] alert = alert("{\"namespace\":\"shop\",\"horizontalpodautoscaler\":\"flaky-hpa\"}");

    assertThat(gateway.post(AlertmanagerSource.PATH, alert).statusCode()).isEqualTo(503);
    assertThat(gateway.post(AlertmanagerSource.PATH, alert).statusCode()).isEqualTo(201);
    byte[] repeat =
        alert(
            "{\"namespace\":\"shop\",\"horizontalpodautoscaler\":\"flaky-hpa\",\"severity\":\"warning\"}");
    assertThat(gateway.post(AlertmanagerSource.PATH, repeat).statusCode()).isEqualTo(202);

    assertThat(server.seen("GET", hpaPath))
        .extracting(FaultDispatcher.Seen::injectedStatus)
        .startsWith(503, 503, 0, 0);
  }

  @Test
  void concurrentLookupsOfOneTargetShareOneRequest() {
    String pdbPath = "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/busy-pdb";
    server.delay("GET", pdbPath, Duration.ofMillis(500), 1);
    byte[] alert = alert("{\"namespace\":\"shop\",\"poddisruptionbudget\":\"busy-pdb\"}");

    List<CompletableFuture<HttpResponse<String>>> responses =
        IntStream.range(0, 6)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> gateway.post(AlertmanagerSource.PATH, alert)))
            .toList();

    assertThat(responses)
        .extracting(r -> r.join().statusCode())
        .allMatch(status -> status == 201 || status == 202);
    // one read to resolve the target and one for its own kubernaut.ai/managed label, each shared
    assertThat(server.seen("GET", pdbPath)).hasSize(2);
  }

  record Target(String kind, String name, String namespace, String apiVersion) {}

  @Test
  void aKubeStateMetricsJobAlertNamesItsJobByTheJobNameLabel() {
    JsonNode elsewhere =
        created(
            alert(
                "{\"namespace\":\"shop\",\"job_name\":\"nightly-report-29001234\","
                    + "\"job\":\"kube-state-metrics\",\"service\":\"kube-state-metrics\"}"));
    assertThat(target(elsewhere))
        .isEqualTo(new Target("CronJob", "nightly-report", NS, "batch/v1"));

    HttpResponse<String> besideTheExporter =
        gateway.post(
            AlertmanagerSource.PATH,
            alert(
                "{\"namespace\":\"monitoring\",\"job_name\":\"backup-29001234\","
                    + "\"pod\":\"kube-state-metrics-7d9f8b6c5-x2k4p\","
                    + "\"service\":\"kube-state-metrics\",\"job\":\"kube-state-metrics\"}"));
    assertThat(besideTheExporter.statusCode()).as(besideTheExporter.body()).isEqualTo(200);
    assertThat(
            GatewayHarness.parse(besideTheExporter.body())
                .path("rejection")
                .path("resource")
                .asText())
        .contains("CronJob")
        .contains("backup");
  }

  @Test
  void anApplicationAlertScrapedFromItsPodWithItsNodeResolvesToTheWorkload() {
    JsonNode body =
        created(
            alert(
                "{\"namespace\":\"shop\",\"pod\":\"orders-7d9f8b6c5-x2k4p\","
                    + "\"node\":\"worker-2\",\"job\":\"kubernetes-pods\"}"));

    assertThat(target(body)).isEqualTo(new Target("Deployment", "orders", NS, "apps/v1"));
    assertThat(nonIncidentRequests()).isEmpty();
  }

  @Test
  void aNodeExporterAlertLabelledWithItsOwnNodeResolvesToTheNode() {
    JsonNode body =
        created(
            alert(
                "{\"node\":\"worker-1\",\"namespace\":\"monitoring\","
                    + "\"pod\":\"node-exporter-7d9f8b6c5-x2k4p\",\"service\":\"node-exporter\","
                    + "\"job\":\"node-exporter\",\"container\":\"node-exporter\"}"));

    assertThat(target(body)).isEqualTo(new Target("Node", "worker-1", null, "v1"));
  }

  @Test
  void aNodeAlertFromAnExporterScrapedWithoutAServiceResolvesToTheNode() {
    JsonNode body =
        created(
            alert(
                "{\"node\":\"worker-1\",\"namespace\":\"monitoring\","
                    + "\"pod\":\"node-state-exporter-7d9f8b6c5-x2k4p\","
                    + "\"job\":\"monitoring/node-state-exporter\",\"container\":\"exporter\"}"));

    assertThat(target(body)).isEqualTo(new Target("Node", "worker-1", null, "v1"));
  }

  @Test
  void aKubeletAlertAboutAStatefulSetPodRescheduledSinceResolvesToTheStatefulSet() {
    JsonNode body =
        created(
            alert(
                "{\"namespace\":\"shop\",\"pod\":\"db-0\",\"node\":\"worker-1\","
                    + "\"service\":\"kubelet\",\"job\":\"kubelet\",\"container\":\"db\"}"));

    assertThat(target(body)).isEqualTo(new Target("StatefulSet", "db", NS, "apps/v1"));
  }

  @Test
  void anEventAboutANamespacedObjectWithoutItsNamespaceIsABadRequest() {
    byte[] event =
        """
        {"apiVersion":"v1","kind":"Event",
         "metadata":{"name":"checkout.1879a2b3c4d5e6f8","namespace":"shop"},
         "involvedObject":{"kind":"Pod","name":"checkout-7d9f8b6c5-x2k4p","apiVersion":"v1"},
         "reason":"BackOff","message":"back-off restarting","type":"Warning",
         "firstTimestamp":"2026-11-21T11:55:00Z"}
        """
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    HttpResponse<String> response = gateway.post(KubernetesEventSource.PATH, event);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText())
        .contains("target not found")
        .contains("checkout-7d9f8b6c5-x2k4p");
  }

  @Test
  void anEventNamingAnObjectByANameNoObjectCanHaveIsABadRequest() {
    for (String[] ref :
        List.of(
            new String[] {"shop", "a/b"},
            new String[] {"shop", "Checkout"},
            new String[] {"shop", "x y"},
            new String[] {"Shop", "checkout"},
            new String[] {"../shop", "checkout"},
            new String[] {"shop", ".."})) {
      byte[] event =
          """
          {"apiVersion":"v1","kind":"Event",
           "metadata":{"name":"odd.1879a2b3c4d5e6f9","namespace":"shop"},
           "involvedObject":{"kind":"Pod","namespace":"%s","name":"%s","apiVersion":"v1"},
           "reason":"BackOff","message":"back-off restarting","type":"Warning",
           "firstTimestamp":"2026-11-21T11:55:00Z"}
          """
              .formatted(ref[0], ref[1])
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);

      HttpResponse<String> response = gateway.post(KubernetesEventSource.PATH, event);

      assertThat(response.statusCode())
          .as("%s/%s: %s", ref[0], ref[1], response.body())
          .isEqualTo(400);
    }
  }

  private void runsOn(String namespace, String pod, String node) {
    cluster
        .client()
        .pods()
        .inNamespace(namespace)
        .withName(pod)
        .edit(
            p -> {
              p.getSpec().setNodeName(node);
              return p;
            });
  }

  private JsonNode created(byte[] alert) {
    HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, alert);
    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    return GatewayHarness.parse(response.body());
  }

  private Target target(JsonNode response) {
    String name = response.path("remediationRequestName").asText();
    RemediationRequest rr =
        gateway.remediationRequests().stream()
            .filter(r -> r.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow();
    return target(rr.getSpec().getTargetResource());
  }

  private Target singleRequestFor(String name) {
    return gateway.remediationRequests().stream()
        .map(rr -> rr.getSpec().getTargetResource())
        .filter(t -> t.getName().equals(name))
        .map(TargetResolutionIT::target)
        .findFirst()
        .orElseThrow();
  }

  private static Target target(TargetResource t) {
    return new Target(t.getKind(), t.getName(), t.getNamespace(), t.getApiVersion());
  }

  /** Requests other than the RemediationRequest reads and writes of recording the incident. */
  private List<FaultDispatcher.Seen> nonIncidentRequests() {
    return server.seen().stream()
        .filter(s -> !s.path().startsWith(MockCluster.RR_PATH))
        .filter(s -> !s.path().startsWith(MockCluster.LEASE_PATH))
        .toList();
  }

  private static byte[] alert(String labelsJson) {
    return SignalPathIT.alert("TargetAlert", labelsJson);
  }

  private static byte[] webhook(String commonLabels, String labelsJson) {
    return ("{\"commonLabels\":"
            + commonLabels
            + ",\"alerts\":["
            + SignalPathIT.alertJson("TargetAlert", labelsJson)
            + "]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] event(String kind, String name, String apiVersion) {
    return ("""
        {"apiVersion":"v1","kind":"Event",
         "metadata":{"name":"%s.1879a2b3c4d5e6f7","namespace":"shop"},
         "involvedObject":{"kind":"%s","namespace":"shop","name":"%s","apiVersion":"%s"},
         "reason":"Unhealthy","message":"probe failed","type":"Warning",
         "firstTimestamp":"2026-11-21T11:55:00Z"}
        """
            .formatted(name, kind, name, apiVersion))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
