package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlimMetadataStoreTest {

  private final SlimMetadataStore store = new SlimMetadataStore();

  @Test
  void keepsWhatOwnerResolutionAndScopeReadAndDropsTheRest() {
    // only the controller reference is followed, so only it is kept
    GenericKubernetesResource service =
        Serialization.unmarshal(
            """
            {"apiVersion":"v1","kind":"Service",
             "metadata":{"name":"checkout","namespace":"demo","uid":"u-1","resourceVersion":"7",
               "labels":{"app":"checkout"},
               "annotations":{"big":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
               "ownerReferences":[{"apiVersion":"v1","kind":"Other","name":"x","uid":"u-9"},
                 {"apiVersion":"v1","kind":"Owner","name":"o","uid":"u-0","controller":true}]},
             "spec":{"selector":{"app":"checkout"},"ports":[{"port":80}]},
             "status":{"loadBalancer":{}}}
            """,
            GenericKubernetesResource.class);

    store.put(store.getKey(service), service);
    GenericKubernetesResource cached = store.get("demo/checkout");

    assertThat(cached.getMetadata().getLabels()).containsEntry("app", "checkout");
    assertThat(cached.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(cached.getMetadata().getOwnerReferences())
        .singleElement()
        .extracting("uid")
        .isEqualTo("u-0");
    assertThat(cached.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(cached.getAdditionalProperties())
        .containsOnlyKeys("spec")
        .containsEntry("spec", Map.of("selector", Map.of("app", "checkout")));
  }

  @Test
  void clusterScopedObjectsAreKeyedByName() {
    GenericKubernetesResource namespace =
        Serialization.unmarshal(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"demo\"}}",
            GenericKubernetesResource.class);

    store.put(store.getKey(namespace), namespace);

    assertThat(store.get("demo")).isNotNull();
    assertThat(store.size()).isEqualTo(1);
  }
}
