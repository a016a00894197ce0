package ai.kubernaut.bench;

import ai.kubernaut.gateway.embedded.EmbeddedKubeconfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What both bench API servers hold and how their processes are told about it: the namespaces, the
 * workload names (Deployment, ReplicaSet and Pod per workload), the key=value arguments and the
 * kubeconfig the gateway reads.
 */
final class BenchCluster {

  static final String CONTROLLER_NS = "kubernaut-system";
  static final String MANAGED_NS = "bench";
  static final String BASELINE_NS = "kubernaut-baseline";
  static final String FILLER_NS = "filler";

  /**
   * Managed like {@link #MANAGED_NS}, but the incidents of its workloads are deleted once the
   * gateway has written their first status ({@link IncidentRetirer}), so every signal about one of
   * them opens a new incident.
   */
  static final String RECURRING_NS = "bench-recurring";

  private BenchCluster() {}

  static String deploymentName(int i) {
    return String.format("app-%04d", i);
  }

  static String replicaSetName(int i) {
    return deploymentName(i) + "-7d9f8b6c5";
  }

  static String podName(int i) {
    return replicaSetName(i) + "-x2k4p";
  }

  /**
   * The namespaces: the controller's, the baseline's, filler, seeded and the two managed ones (the
   * usual and the recurring one).
   */
  static List<Namespace> namespaces() {
    return List.of(
        namespace(CONTROLLER_NS, Map.of()),
        namespace(BASELINE_NS, Map.of()),
        namespace(FILLER_NS, Map.of()),
        namespace("seeded", Map.of()),
        namespace(MANAGED_NS, Map.of("kubernaut.ai/managed", "true")),
        namespace(RECURRING_NS, Map.of("kubernaut.ai/managed", "true")));
  }

  private static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  /** Workload i's Deployment, with the pod template a real API server requires. */
  static Deployment deployment(int i) {
    return deployment(MANAGED_NS, i);
  }

  /** Workload i's Deployment in {@code namespace}. */
  static Deployment deployment(String namespace, int i) {
    String app = deploymentName(i);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(app)
        .withNamespace(namespace)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", app)
        .endSelector()
        .withTemplate(template(app))
        .endSpec()
        .build();
  }

  /** Workload i's ReplicaSet, controlled by the Deployment of {@code deploymentUid}. */
  static ReplicaSet replicaSet(int i, String deploymentUid) {
    return replicaSet(MANAGED_NS, i, deploymentUid);
  }

  /** Workload i's ReplicaSet in {@code namespace}. */
  static ReplicaSet replicaSet(String namespace, int i, String deploymentUid) {
    String app = deploymentName(i);
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(replicaSetName(i))
        .withNamespace(namespace)
        .addToLabels("app", app)
        .withOwnerReferences(controller("Deployment", app, deploymentUid))
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", app)
        .endSelector()
        .withTemplate(template(app))
        .endSpec()
        .build();
  }

  /** Workload i's Pod, controlled by the ReplicaSet of {@code replicaSetUid}. */
  static Pod pod(int i, String replicaSetUid) {
    return pod(MANAGED_NS, i, replicaSetUid);
  }

  /** Workload i's Pod in {@code namespace}. */
  static Pod pod(String namespace, int i, String replicaSetUid) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(podName(i))
        .withNamespace(namespace)
        .addToLabels("app", deploymentName(i))
        .withOwnerReferences(controller("ReplicaSet", replicaSetName(i), replicaSetUid))
        .endMetadata()
        .withNewSpec()
        .addToContainers(container())
        .endSpec()
        .build();
  }

  /** A pod of no workload, in the filler namespace. */
  static Pod fillerPod(int i) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(String.format("filler-%05d", i))
        .withNamespace(FILLER_NS)
        .addToLabels("app", "filler")
        .endMetadata()
        .withNewSpec()
        .addToContainers(container())
        .endSpec()
        .build();
  }

  private static OwnerReference controller(String kind, String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1")
        .withKind(kind)
        .withName(name)
        .withUid(uid)
        .withController(true)
        .build();
  }

  private static PodTemplateSpec template(String app) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addToContainers(container())
        .endSpec()
        .build();
  }

  private static Container container() {
    return new ContainerBuilder().withName("app").withImage("busybox").build();
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The gateway's kubeconfig: the embedded mode's, pointed at the bench API server. */
  static void writeKubeconfig(Path file, String url) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, EmbeddedKubeconfig.render(url, CONTROLLER_NS));
  }

  /** key=value arguments. */
  static Map<String, String> args(String[] argv) {
    Map<String, String> out = new HashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq > 0) {
        out.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    return out;
  }
}
