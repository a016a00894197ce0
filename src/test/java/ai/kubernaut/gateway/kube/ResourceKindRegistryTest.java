package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.signal.ResourceKind;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceKindRegistryTest {

  static final APIResourceList CORE =
      list(
          "v1",
          resource("pods", "pod", "Pod", true),
          resource("pods/status", "", "Pod", true),
          resource("pods/log", "", "Pod", true),
          resource("nodes", "node", "Node", false),
          resource("events", "event", "Event", true));
  static final APIResourceList APPS =
      list(
          "apps/v1",
          resource("deployments", "deployment", "Deployment", true),
          resource("replicasets", "replicaset", "ReplicaSet", true));
  static final APIResourceList EVENTS =
      list("events.k8s.io/v1", resource("events", "event", "Event", true));
  static final APIResourceList OPENSHIFT =
      list(
          "apps.openshift.io/v1",
          resource("deploymentconfigs", "deploymentconfig", "DeploymentConfig", true));
  static final APIResourceList AUTOSCALING =
      list(
          "autoscaling/v2",
          resource(
              "horizontalpodautoscalers",
              "horizontalpodautoscaler",
              "HorizontalPodAutoscaler",
              true));
  static final APIResourceList NO_SINGULAR =
      list("legacy.example/v1", resource("gizmos", "", "Gizmo", true));

  final ResourceKindRegistry registry =
      ResourceKindRegistry.of(List.of(CORE, APPS, EVENTS, OPENSHIFT, AUTOSCALING, NO_SINGULAR));

  @Test
  void labelKeysAreSingularNamesAndLowercaseKinds() {
    assertThat(registry.forLabelKey("pod")).map(ResourceKind::kind).hasValue("Pod");
    assertThat(registry.forLabelKey("horizontalpodautoscaler"))
        .map(ResourceKind::apiVersion)
        .hasValue("autoscaling/v2");
    assertThat(registry.forLabelKey("gizmo")).map(ResourceKind::plural).hasValue("gizmos");
    assertThat(registry.forLabelKey("pods")).isEmpty();
    assertThat(registry.forLabelKey("job")).isEmpty();
  }

  @Test
  void tiersPutWorkloadControllersFirstAndPodsAndNodesLast() {
    assertThat(registry.forKind("Deployment")).map(ResourceKind::tier).hasValue(1);
    assertThat(registry.forKind("DeploymentConfig")).map(ResourceKind::tier).hasValue(1);
    assertThat(registry.forKind("ReplicaSet")).map(ResourceKind::tier).hasValue(2);
    assertThat(registry.forKind("HorizontalPodAutoscaler")).map(ResourceKind::tier).hasValue(2);
    assertThat(registry.forKind("Pod")).map(ResourceKind::tier).hasValue(3);
    assertThat(registry.forKind("Node")).map(ResourceKind::tier).hasValue(3);
  }

  @Test
  void subresourcesAreSkipped() {
    assertThat(registry.allForKind("Pod"))
        .singleElement()
        .extracting(ResourceKind::plural)
        .isEqualTo("pods");
  }

  @Test
  void aKindServedByTwoGroupsListsBothFirstDiscoveredFirstAndItsLabelKeyNamesTheFirst() {
    assertThat(registry.allForKind("Event"))
        .extracting(ResourceKind::apiVersion)
        .containsExactly("v1", "events.k8s.io/v1");
    assertThat(registry.forLabelKey("event")).map(ResourceKind::apiVersion).hasValue("v1");
  }

  @Test
  void scopeAndGroupComeFromDiscovery() {
    ResourceKind node = registry.forKind("Node").orElseThrow();
    assertThat(node.namespaced()).isFalse();
    assertThat(node.group()).isEmpty();
    assertThat(registry.forKind("Deployment").orElseThrow().group()).isEqualTo("apps");
  }

  @Test
  void nothingDiscoveredIsAnEmptyRegistry() {
    assertThat(ResourceKindRegistry.of(List.of()).size()).isZero();
    assertThat(registry.size()).isEqualTo(8);
  }

  @Test
  void kindsThatCannotBeReadAreNeverCandidates() {
    APIResource binding = resource("bindings", "binding", "Binding", true);
    binding.setVerbs(List.of("create"));
    APIResource configMap = resource("configmaps", "configmap", "ConfigMap", true);
    configMap.setVerbs(List.of("create", "get", "list", "watch"));

    ResourceKindRegistry withVerbs =
        ResourceKindRegistry.of(List.of(list("v1", binding, configMap)));

    assertThat(withVerbs.forLabelKey("binding")).isEmpty();
    assertThat(withVerbs.allForKind("Binding")).isEmpty();
    assertThat(withVerbs.forLabelKey("configmap")).map(ResourceKind::kind).hasValue("ConfigMap");
  }

  static APIResourceList list(String groupVersion, APIResource... resources) {
    return new APIResourceListBuilder()
        .withGroupVersion(groupVersion)
        .withResources(resources)
        .build();
  }

  static APIResource resource(String name, String singular, String kind, boolean namespaced) {
    return new APIResourceBuilder()
        .withName(name)
        .withSingularName(singular)
        .withKind(kind)
        .withNamespaced(namespaced)
        .build();
  }
}
