package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows controller owner references from an object to the top-level workload that controls it,
 * through the metadata caches: Pod → ReplicaSet → Deployment, Job → CronJob. A Service stands for
 * the workload behind the first running pod it selects.
 */
final class OwnerChain {

  static final int MAX_DEPTH = 5;
  private static final Set<String> TRAVERSED_GROUPS =
      Set.of("", "apps", "batch", "autoscaling", "policy");

  /**
   * Kinds whose controller reference is set or removed around creation and deletion, so a cached
   * copy without one may be stale: a just-created or terminating pod.
   */
  private static final Set<String> VERIFIED_WHEN_UNOWNED = Set.of("Pod", "ReplicaSet", "Job");

  /** The label the Deployment controller puts on its pods; its ReplicaSets are named after it. */
  static final String POD_TEMPLATE_HASH = "pod-template-hash";

  private final ResourceKinds kinds;
  private final MetadataLookup lookup;

  OwnerChain(ResourceKinds kinds, MetadataLookup lookup) {
    this.kinds = kinds;
    this.lookup = lookup;
  }

  /** The workload at the top of {@code target}'s chain of controllers; the target if none. */
  ResourceRef ownerOf(Located target) {
    if (target.ref().apiVersion().isEmpty() || !isTraversed(target.kind())) {
      return target.ref();
    }
    if (target.kind().kind().equals("Service") && target.kind().group().isEmpty()) {
      Optional<Located> pod = podBehind(target);
      if (pod.isPresent()) {
        return ownerOf(pod.get());
      }
      return target.ref();
    }
    Located current = target;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Optional<OwnerReference> controller = controllerOf(current.found().object());
      if (controller.isEmpty() && depth == 0 && needsVerifying(current)) {
        controller = freshController(current);
      }
      if (controller.isEmpty()) {
        return current.ref();
      }
      OwnerReference ref = controller.get();
      Optional<ResourceKind> ownerKind = kindOf(ref.getApiVersion(), ref.getKind());
      if (ownerKind.isPresent() && isNode(ownerKind.get())) {
        // a static (mirror) pod: the kubelet runs it from a file, the Node is not its workload
        return current.ref();
      }
      // a cluster-scoped owner has no namespace, whatever the namespace of what it owns
      String namespace =
          ownerKind.isPresent() && !ownerKind.get().namespaced() ? "" : current.ref().namespace();
      ResourceRef owner =
          new ResourceRef(ref.getKind(), ref.getName(), namespace, ref.getApiVersion());
      if (ownerKind.isEmpty() || !isTraversed(ownerKind.get())) {
        return owner;
      }
      Optional<MetadataLookup.Found> found = findReadable(ownerKind.get(), namespace, owner.name());
      if (found.isEmpty()) {
        Optional<Located> deployment = deploymentOfPrunedReplicaSet(current, owner);
        if (deployment.isEmpty()) {
          return owner;
        }
        current = deployment.get();
        continue;
      }
      current = new Located(ownerKind.get(), owner, found.get());
    }
    return current.ref();
  }

  /**
   * A pod whose ReplicaSet is gone (pruned by {@code revisionHistoryLimit} while the pod
   * terminates) still names it; the Deployment controller names a ReplicaSet {@code
   * <deployment>-<pod-template-hash>}, so the pod's hash label leads to the Deployment when it
   * exists.
   */
  private Optional<Located> deploymentOfPrunedReplicaSet(Located pod, ResourceRef replicaSet) {
    if (!replicaSet.kind().equals("ReplicaSet")
        || !OwnerChainResolver.groupOf(replicaSet.apiVersion()).equals("apps")) {
      return Optional.empty();
    }
    Map<String, String> labels = pod.found().object().getMetadata().getLabels();
    String hash = labels == null ? null : labels.get(POD_TEMPLATE_HASH);
    String suffix = "-" + hash;
    if (hash == null || hash.isEmpty() || !replicaSet.name().endsWith(suffix)) {
      return Optional.empty();
    }
    String name = replicaSet.name().substring(0, replicaSet.name().length() - suffix.length());
    Optional<ResourceKind> deploymentKind =
        kinds.allForKind("Deployment").stream().filter(k -> k.group().equals("apps")).findFirst();
    if (name.isEmpty() || deploymentKind.isEmpty()) {
      return Optional.empty();
    }
    String namespace = replicaSet.namespace();
    return findReadable(deploymentKind.get(), namespace, name)
        .map(
            found ->
                new Located(
                    deploymentKind.get(),
                    new ResourceRef(
                        "Deployment", name, namespace, deploymentKind.get().apiVersion()),
                    found));
  }

  /** An owner the gateway may not read counts as one it cannot find. */
  private Optional<MetadataLookup.Found> findReadable(
      ResourceKind kind, String namespace, String name) {
    try {
      return lookup.find(kind, namespace, name);
    } catch (NotReadableException e) {
      return Optional.empty();
    }
  }

  private Optional<OwnerReference> freshController(Located current) {
    try {
      return lookup
          .fresh(current.kind(), current.ref().namespace(), current.ref().name())
          .flatMap(OwnerChain::controllerOf);
    } catch (NotReadableException e) {
      return Optional.empty();
    }
  }

  private Optional<Located> podBehind(Located service) {
    Map<String, String> selector = MetadataLookup.selectorOf(service.found().object());
    if (selector.isEmpty()) {
      return Optional.empty();
    }
    String namespace = service.ref().namespace();
    Optional<ResourceKind> podKind = OwnerChainResolver.coreKind(kinds, "Pod");
    if (podKind.isEmpty()) {
      return Optional.empty();
    }
    return lookup
        .firstPodSelectedBy(namespace, selector)
        .flatMap(
            pod ->
                findReadable(podKind.get(), namespace, pod)
                    .map(
                        found ->
                            new Located(
                                podKind.get(),
                                new ResourceRef("Pod", pod, namespace, "v1"),
                                found)));
  }

  private Optional<ResourceKind> kindOf(String apiVersion, String kind) {
    String group = OwnerChainResolver.groupOf(apiVersion == null ? "" : apiVersion);
    return kinds.allForKind(kind).stream().filter(k -> k.group().equals(group)).findFirst();
  }

  private static boolean isNode(ResourceKind kind) {
    return kind.kind().equals("Node") && kind.group().isEmpty();
  }

  private static boolean needsVerifying(Located located) {
    return located.found().cached()
        && VERIFIED_WHEN_UNOWNED.contains(located.kind().kind())
        && isTraversed(located.kind());
  }

  static Optional<OwnerReference> controllerOf(GenericKubernetesResource object) {
    if (object.getMetadata() == null || object.getMetadata().getOwnerReferences() == null) {
      return Optional.empty();
    }
    return object.getMetadata().getOwnerReferences().stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()))
        .findFirst();
  }

  private static boolean isTraversed(ResourceKind kind) {
    return TRAVERSED_GROUPS.contains(kind.group());
  }
}
