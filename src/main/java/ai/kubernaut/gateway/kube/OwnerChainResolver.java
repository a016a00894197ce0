package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidSignalException;
import ai.kubernaut.gateway.signal.KubernetesNames;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.TargetResolver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a signal's target to the top-level workload that controls it. The first candidate that
 * exists wins (of a kind served by several API groups, the group that has the object; when several
 * have it, the target keeps no API version); a candidate the gateway may not read is passed over,
 * and becomes the target as named only when no other candidate exists. Controller owner references
 * are then followed through the metadata caches: Pod → ReplicaSet → Deployment, Job → CronJob. A
 * Service stands for the workload behind the first running pod it selects.
 */
public final class OwnerChainResolver implements TargetResolver {

  private static final Logger log = LoggerFactory.getLogger(OwnerChainResolver.class);

  static final int MAX_DEPTH = 5;
  private static final Set<String> TRAVERSED_GROUPS =
      Set.of("", "apps", "batch", "autoscaling", "policy");

  /**
   * Kinds whose controller reference is set or removed around creation and deletion, so a cached
   * copy without one may be stale: a just-created or terminating pod.
   */
  private static final Set<String> VERIFIED_WHEN_UNOWNED = Set.of("Pod", "ReplicaSet", "Job");

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._:@+~-]{1,253}");

  /** The label the Deployment controller puts on its pods; its ReplicaSets are named after it. */
  static final String POD_TEMPLATE_HASH = "pod-template-hash";

  private record Located(ResourceKind kind, ResourceRef ref, MetadataLookup.Found found) {}

  private final ResourceKinds kinds;
  private final MetadataLookup lookup;

  OwnerChainResolver(ResourceKinds kinds, MetadataLookup lookup) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  @Override
  public ResourceRef resolveOwner(InboundSignal signal) {
    List<ResourceRef> candidates = signal.targetCandidates();
    if (!signal.namesAResource()) {
      throw new InvalidSignalException(
          "signal "
              + signal.name()
              + " names no Kubernetes resource: none of its labels is a"
              + " resource label such as deployment, statefulset, pod or node");
    }
    List<String> missing = new ArrayList<>();
    Optional<ResourceRef> firstUnreadable = Optional.empty();
    for (ResourceRef candidate : withoutScrapeTargetPod(candidates, signal.labels())) {
      List<ResourceKind> served = servingGroups(candidate);
      if (served.isEmpty()) {
        // a kind the cluster does not serve cannot be checked; keep it as the sender named it
        return candidate;
      }
      try {
        Optional<Located> located = locate(candidate, served);
        if (located.isPresent()) {
          return ownerOf(located.get());
        }
        missing.add(candidate.display());
      } catch (NotReadableException e) {
        missing.add(candidate.display() + " (" + e.getMessage() + ")");
        if (firstUnreadable.isEmpty()) {
          firstUnreadable = Optional.of(asNamed(candidate, served));
        }
      }
    }
    if (firstUnreadable.isPresent()) {
      return firstUnreadable.get();
    }
    throw new InvalidSignalException(
        "target not found: " + String.join(", ", missing) + " does not exist in the cluster");
  }

  /**
   * An alert naming a pod and a node is about one of them. Series from the kubelet and cAdvisor,
   * and joins with {@code kube_pod_info}, carry the pod and the node it runs on: the pod is the
   * subject. A node series scraped from an exporter pod (kube-state-metrics, node-exporter) carries
   * the exporter's own pod: the node is the subject. The exporter is a pod that the alert's {@code
   * service} label's Service selects, or, scraped without a Service (a PodMonitor, so no {@code
   * service} label), a pod that runs on another node than the labelled one. A pod running elsewhere
   * whose series another Service names (the kubelet's) was rescheduled since the series began, as a
   * StatefulSet pod is: still the subject.
   */
  private List<ResourceRef> withoutScrapeTargetPod(
      List<ResourceRef> candidates, Map<String, String> labels) {
    Optional<ResourceRef> pod = candidates.stream().filter(c -> c.kind().equals("Pod")).findFirst();
    Optional<ResourceRef> node =
        candidates.stream().filter(c -> c.kind().equals("Node")).findFirst();
    if (pod.isEmpty() || node.isEmpty()) {
      return candidates;
    }
    String service = labels.get("service");
    boolean runsElsewhere =
        cachedPod(pod.get())
            .flatMap(OwnerChainResolver::nodeNameOf)
            .filter(runsOn -> !runsOn.equals(node.get().name()))
            .isPresent();
    boolean exporter = isScrapeTarget(pod.get(), service) || (service == null && runsElsewhere);
    ResourceRef dropped = exporter ? pod.get() : node.get();
    return candidates.stream().filter(c -> !c.equals(dropped)).toList();
  }

  private Optional<GenericKubernetesResource> cachedPod(ResourceRef pod) {
    return coreKind("Pod").flatMap(kind -> lookup.cached(kind, pod.namespace(), pod.name()));
  }

  private static Optional<String> nodeNameOf(GenericKubernetesResource pod) {
    return pod.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
            && spec.get("nodeName") instanceof String node
            && !node.isEmpty()
        ? Optional.of(node)
        : Optional.empty();
  }

  /** True when the alert's {@code service} label names a cached Service selecting the pod. */
  private boolean isScrapeTarget(ResourceRef pod, String service) {
    if (!KubernetesNames.isObjectName(service)) {
      return false;
    }
    Optional<ResourceKind> podKind = coreKind("Pod");
    Optional<ResourceKind> serviceKind = coreKind("Service");
    if (podKind.isEmpty() || serviceKind.isEmpty()) {
      return false;
    }
    Optional<GenericKubernetesResource> cachedPod =
        lookup.cached(podKind.get(), pod.namespace(), pod.name());
    Map<String, String> selector =
        lookup
            .cached(serviceKind.get(), pod.namespace(), service)
            .map(OwnerChainResolver::selectorOf)
            .orElse(Map.of());
    return cachedPod.isPresent()
        && !selector.isEmpty()
        && MetadataLookup.matches(cachedPod.get(), selector);
  }

  /** A candidate that cannot be checked, as the target it names. */
  private static ResourceRef asNamed(ResourceRef candidate, List<ResourceKind> served) {
    ResourceKind kind = served.getFirst();
    return new ResourceRef(
        kind.kind(),
        candidate.name(),
        kind.namespaced() ? candidate.namespace() : "",
        served.size() == 1 ? kind.apiVersion() : candidate.apiVersion());
  }

  /**
   * The groups serving the candidate's kind, narrowed to its own group when the sender named it.
   */
  private List<ResourceKind> servingGroups(ResourceRef candidate) {
    List<ResourceKind> all = kinds.allForKind(candidate.kind());
    if (candidate.apiVersion().isEmpty()) {
      return all;
    }
    String group = groupOf(candidate.apiVersion());
    List<ResourceKind> named = all.stream().filter(k -> k.group().equals(group)).toList();
    return named.isEmpty() ? all : named;
  }

  private Optional<Located> locate(ResourceRef candidate, List<ResourceKind> served) {
    List<Located> existing = new ArrayList<>();
    NotReadableException unreadable = null;
    for (ResourceKind kind : served) {
      String namespace = kind.namespaced() ? candidate.namespace() : "";
      if (!couldExist(kind, namespace, candidate.name())) {
        // an Event's object reference the sender got wrong (no namespace, or a name no object can
        // have): asking the API would fail before sending, or ask for something else
        continue;
      }
      try {
        lookup
            .find(kind, namespace, candidate.name())
            .ifPresent(
                found ->
                    existing.add(
                        new Located(
                            kind,
                            new ResourceRef(
                                kind.kind(), candidate.name(), namespace, kind.apiVersion()),
                            found)));
      } catch (NotReadableException e) {
        unreadable = e;
      }
    }
    if (existing.isEmpty() && unreadable != null) {
      throw unreadable;
    }
    if (existing.size() > 1) {
      log.info(
          "{} exists in several API groups ({}); its apiVersion is left empty",
          candidate.display(),
          existing.stream().map(l -> l.kind().apiVersion()).toList());
      Located first = existing.getFirst();
      return Optional.of(new Located(first.kind(), first.ref().withApiVersion(""), first.found()));
    }
    return existing.stream().findFirst();
  }

  /**
   * Whether an object of this kind could have this name and namespace, and be asked for by it:
   * every namespace is a DNS label; names are DNS names for most kinds, but RBAC objects use {@code
   * :} and custom resources any one URL path segment, so the characters URLs carry unescaped are
   * accepted (the client does not escape names).
   */
  private static boolean couldExist(ResourceKind kind, String namespace, String name) {
    return PLAIN_NAME.matcher(name).matches()
        && !name.equals(".")
        && !name.equals("..")
        && (kind.namespaced() ? KubernetesNames.isNamespaceName(namespace) : namespace.isEmpty());
  }

  private ResourceRef ownerOf(Located target) {
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
        || !groupOf(replicaSet.apiVersion()).equals("apps")) {
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
          .flatMap(OwnerChainResolver::controllerOf);
    } catch (NotReadableException e) {
      return Optional.empty();
    }
  }

  private Optional<Located> podBehind(Located service) {
    Map<String, String> selector = selectorOf(service.found().object());
    if (selector.isEmpty()) {
      return Optional.empty();
    }
    String namespace = service.ref().namespace();
    Optional<ResourceKind> podKind = coreKind("Pod");
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

  private Optional<ResourceKind> coreKind(String kind) {
    return kinds.allForKind(kind).stream().filter(k -> k.group().isEmpty()).findFirst();
  }

  private Optional<ResourceKind> kindOf(String apiVersion, String kind) {
    String group = groupOf(apiVersion == null ? "" : apiVersion);
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

  @SuppressWarnings("unchecked")
  private static Map<String, String> selectorOf(GenericKubernetesResource service) {
    Object spec = service.getAdditionalProperties().get("spec");
    if (spec instanceof Map<?, ?> specMap && specMap.get("selector") instanceof Map<?, ?> sel) {
      return Map.copyOf((Map<String, String>) sel);
    }
    return Map.of();
  }

  private static boolean isTraversed(ResourceKind kind) {
    return TRAVERSED_GROUPS.contains(kind.group());
  }

  static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
