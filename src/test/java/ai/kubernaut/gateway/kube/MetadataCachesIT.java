package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.testing.ClusterObjects;
import ai.kubernaut.gateway.testing.MockCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metadata caches keep only what resolution and scope read, on fabric8 7.8 and its mock. */
class MetadataCachesIT {

  MockCluster cluster;
  KubernetesClient client;
  MetadataCaches caches;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.newClient();
    cluster.managedNamespace("shop");
    cluster.deploymentWithPod("shop", "checkout", Map.of("tier", "web"));
    cluster.service("shop", "checkout", Map.of("app", "checkout"));
    caches = new MetadataCaches(client);
    caches.start();
    caches.awaitSynced(Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    caches.close();
    client.close();
    cluster.close();
  }

  @Test
  void aCachedPodKeepsLabelsOwnerReferencesAndUidButNotItsSpec() {
    GenericKubernetesResource pod =
        caches.get(kind("Pod"), "shop", "checkout-7d9f8b6c5-x2k4p").orElseThrow();

    assertThat(pod.getMetadata().getName()).isEqualTo("checkout-7d9f8b6c5-x2k4p");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "checkout");
    assertThat(pod.getMetadata().getUid()).isNotBlank();
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getName()).isEqualTo("checkout-7d9f8b6c5"));
    assertThat(pod.getAdditionalProperties()).doesNotContainKeys("spec", "status");
  }

  @Test
  void aCachedServiceKeepsItsSelectorOnly() {
    GenericKubernetesResource service =
        caches.get(kind("Service"), "shop", "checkout").orElseThrow();

    assertThat(service.getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("selector", Map.of("app", "checkout")));
  }

  @Test
  void clusterScopedObjectsAreKeyedByName() {
    new ClusterObjects(cluster.client()).node("worker-1", Map.of("zone", "a"));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> caches.get(kind("Node"), "", "worker-1").isPresent());
    assertThat(caches.get(kind("Namespace"), "", "shop").orElseThrow().getMetadata().getLabels())
        .containsEntry("kubernaut.ai/managed", "true");
    assertThat(caches.podsIn("shop")).hasSize(1);
    assertThat(caches.unsynced()).isEmpty();
  }

  private static ResourceKind kind(String name) {
    return MetadataCaches.KINDS.stream()
        .filter(k -> k.kind().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
