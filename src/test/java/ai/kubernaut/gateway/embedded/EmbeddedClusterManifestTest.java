package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedClusterManifestTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theDemoObjectsAreTheOnesTheTypedModelDescribes() throws Exception {
    EmbeddedClusterManifest manifest = EmbeddedClusterManifest.build("gateway-ns");

    assertThat(trees(manifest.objects())).containsExactlyElementsOf(trees(typedDemo("gateway-ns")));
  }

  @Test
  void everyFieldOfTheDemoObjectsIsKnownToTheTypedModel() throws Exception {
    for (GenericKubernetesResource object : EmbeddedClusterManifest.build("ns").objects()) {
      JsonNode generic = tree(object);
      Class<? extends HasMetadata> type =
          SERIALIZATION
              .getRegisteredKubernetesResource(object.getApiVersion(), object.getKind())
              .asSubclass(HasMetadata.class);

      assertThat(tree(SERIALIZATION.convertValue(object, type)))
          .as(object.getKind())
          .isEqualTo(generic);
    }
  }

  @Test
  void theCrdIsTheCommittedDefinitionAsFabric8ReadsItsYaml() throws Exception {
    GenericKubernetesResource crd = EmbeddedClusterManifest.build("ns").remediationRequestCrd();

    assertThat(crd.getMetadata().getName()).isEqualTo("remediationrequests.kubernaut.ai");
    try (InputStream yaml =
        getClass()
            .getResourceAsStream("/META-INF/kubernaut/remediationrequests.kubernaut.ai.yaml")) {
      assertThat(tree(crd))
          .isEqualTo(tree(SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class)));
    }
  }

  private static List<JsonNode> trees(List<? extends HasMetadata> objects) throws Exception {
    return objects.stream().map(EmbeddedClusterManifestTest::tree).toList();
  }

  private static JsonNode tree(Object object) {
    try {
      return JSON.readTree(SERIALIZATION.asJson(object));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The demo workload as the typed builders made it before the manifest became a resource. */
  private static List<HasMetadata> typedDemo(String controllerNamespace) {
    Map<String, String> app = Map.of("app", "checkout");
    Map<String, String> pod = Map.of("app", "checkout", "pod-template-hash", "7d9f8b6c5");
    return List.of(
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(controllerNamespace)
            .endMetadata()
            .build(),
        new NamespaceBuilder()
            .withNewMetadata()
            .withName("demo")
            .withLabels(Map.of("kubernaut.ai/managed", "true"))
            .endMetadata()
            .build(),
        new NodeBuilder()
            .withNewMetadata()
            .withName("demo-node-1")
            .addToLabels("kubernetes.io/hostname", "demo-node-1")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build(),
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("checkout")
            .withNamespace("demo")
            .withLabels(app)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(app)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(app)
            .endMetadata()
            .withSpec(podSpec(null))
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(1L)
            .withReplicas(1)
            .withUpdatedReplicas(1)
            .withReadyReplicas(1)
            .withAvailableReplicas(1)
            .endStatus()
            .build(),
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName("checkout-7d9f8b6c5")
            .withNamespace("demo")
            .withLabels(pod)
            .withOwnerReferences(controller("Deployment", "checkout"))
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(pod)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(pod)
            .endMetadata()
            .withSpec(podSpec(null))
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(1L)
            .withReplicas(1)
            .withFullyLabeledReplicas(1)
            .withReadyReplicas(1)
            .withAvailableReplicas(1)
            .endStatus()
            .build(),
        new PodBuilder()
            .withNewMetadata()
            .withName("checkout-7d9f8b6c5-x2k4p")
            .withNamespace("demo")
            .withLabels(pod)
            .withOwnerReferences(controller("ReplicaSet", "checkout-7d9f8b6c5"))
            .endMetadata()
            .withSpec(podSpec("demo-node-1"))
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("10.244.0.12")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build(),
        new ServiceBuilder()
            .withNewMetadata()
            .withName("checkout")
            .withNamespace("demo")
            .withLabels(app)
            .endMetadata()
            .withNewSpec()
            .withSelector(app)
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .withPort(80)
            .withNewTargetPort(80)
            .endPort()
            .endSpec()
            .build());
  }

  /** Without the uid, which the seeding takes from the owner it created. */
  private static io.fabric8.kubernetes.api.model.OwnerReference controller(
      String kind, String name) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1")
        .withKind(kind)
        .withName(name)
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static PodSpec podSpec(String nodeName) {
    return new PodSpecBuilder()
        .withNodeName(nodeName)
        .addNewContainer()
        .withName("checkout")
        .withImage("nginx")
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withContainerPort(80)
        .endPort()
        .endContainer()
        .build();
  }
}
