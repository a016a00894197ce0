package ai.kubernaut.gateway.embedded;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The objects embedded mode starts with: the RemediationRequest CRD, namespaces, a node and a demo
 * workload whose owner references are filled in once the owners exist.
 */
record EmbeddedClusterManifest(
    GenericKubernetesResource remediationRequestCrd,
    List<Namespace> namespaces,
    Node node,
    Deployment deployment,
    ReplicaSet replicaSet,
    Pod pod,
    Service service) {

  private static final String CRD_RESOURCE =
      "/META-INF/kubernaut/remediationrequests.kubernaut.ai.yaml";
  private static final String DEMO_NAMESPACE = "demo";
  private static final String MANAGED_LABEL = "kubernaut.ai/managed";
  private static final String NODE_NAME = "demo-node-1";
  private static final String APP = "checkout";
  private static final String POD_TEMPLATE_HASH = "7d9f8b6c5";
  private static final String REPLICA_SET_NAME = APP + "-" + POD_TEMPLATE_HASH;
  private static final String POD_NAME = REPLICA_SET_NAME + "-x2k4p";

  private static final String IMAGE = "nginx";
  private static final int HTTP_PORT = 80;
  private static final String POD_IP = "10.244.0.12";
  private static final Map<String, String> APP_LABELS = Map.of("app", APP);
  private static final Map<String, String> POD_LABELS =
      Map.of("app", APP, "pod-template-hash", POD_TEMPLATE_HASH);

  static EmbeddedClusterManifest build(String controllerNamespace) {
    return new EmbeddedClusterManifest(
        loadRemediationRequestCrd(),
        List.of(
            namespace(controllerNamespace, Map.of()),
            namespace(DEMO_NAMESPACE, Map.of(MANAGED_LABEL, "true"))),
        newNode(),
        newDeployment(),
        newReplicaSet(),
        newPod(),
        newService());
  }

  /**
   * Read as a generic resource: binding it to the typed CRD model would load and build
   * deserializers for the whole JSON-schema model, a noticeable part of the embedded start.
   */
  private static GenericKubernetesResource loadRemediationRequestCrd() {
    try (InputStream yaml = EmbeddedClusterManifest.class.getResourceAsStream(CRD_RESOURCE)) {
      if (yaml == null) {
        throw new IllegalStateException("CRD manifest not found on the classpath: " + CRD_RESOURCE);
      }
      return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + CRD_RESOURCE, e);
    }
  }

  private static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  private static Node newNode() {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(NODE_NAME)
        .addToLabels("kubernetes.io/hostname", NODE_NAME)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Deployment newDeployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(APP)
        .withNamespace(DEMO_NAMESPACE)
        .withLabels(APP_LABELS)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .withMatchLabels(APP_LABELS)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(APP_LABELS)
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
        .build();
  }

  private static ReplicaSet newReplicaSet() {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(REPLICA_SET_NAME)
        .withNamespace(DEMO_NAMESPACE)
        .withLabels(POD_LABELS)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .withMatchLabels(POD_LABELS)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(POD_LABELS)
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
        .build();
  }

  private static Pod newPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName(POD_NAME)
        .withNamespace(DEMO_NAMESPACE)
        .withLabels(POD_LABELS)
        .endMetadata()
        .withSpec(podSpec(NODE_NAME))
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(POD_IP)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Service newService() {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(APP)
        .withNamespace(DEMO_NAMESPACE)
        .withLabels(APP_LABELS)
        .endMetadata()
        .withNewSpec()
        .withSelector(APP_LABELS)
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(HTTP_PORT)
        .withNewTargetPort(HTTP_PORT)
        .endPort()
        .endSpec()
        .build();
  }

  private static PodSpec podSpec(String nodeName) {
    return new PodSpecBuilder()
        .withNodeName(nodeName)
        .addNewContainer()
        .withName(APP)
        .withImage(IMAGE)
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withContainerPort(HTTP_PORT)
        .endPort()
        .endContainer()
        .build();
  }
}
