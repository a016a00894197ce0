package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidSignalException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a signal's target to the top-level workload that controls it. The first candidate that
 * exists wins (a kind served by several API groups counts only when exactly one group has the
 * object); its controller owner references are followed through the metadata caches: Pod →
 * ReplicaSet → Deployment, Job → CronJob. A Service stands for the workload behind the first pod it
 * selects.
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
    if (candidates.size() == 1 && candidates.getFirst().kind().equals("Unknown")) {
      throw new InvalidSignalException(
          "signal "
              + signal.name()
              + " names no Kubernetes resource: none of its labels is a"
              + " resource label such as deployment, statefulset, pod or node");
    }
    List<String> missing = new ArrayList<>();
    for (ResourceRef candidate : candidates) {
      List<ResourceKind> served = servingGroups(candidate);
      if (served.isEmpty()) {
        // a kind the cluster does not serve cannot be checked; keep it as the sender named it
        return candidate;
      }
      Optional<Located> located = locate(candidate, served);
      if (located.isPresent()) {
        return ownerOf(located.get());
      }
      missing.add(candidate.display());
    }
    throw new InvalidSignalException(
        "target not found: " + String.join(", ", missing) + " does not exist in the cluster");
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
    for (ResourceKind kind : served) {
      String namespace = kind.namespaced() ? candidate.namespace() : "";
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
        controller =
            lookup
                .fresh(current.kind(), current.ref().namespace(), current.ref().name())
                .flatMap(OwnerChainResolver::controllerOf);
      }
      if (controller.isEmpty()) {
        return current.ref();
      }
      OwnerReference ref = controller.get();
      ResourceRef owner =
          new ResourceRef(
              ref.getKind(), ref.getName(), current.ref().namespace(), ref.getApiVersion());
      Optional<ResourceKind> ownerKind = kindOf(owner);
      if (ownerKind.isEmpty() || !isTraversed(ownerKind.get())) {
        return owner;
      }
      Optional<MetadataLookup.Found> found =
          lookup.find(ownerKind.get(), owner.namespace(), owner.name());
      if (found.isEmpty()) {
        return owner;
      }
      current = new Located(ownerKind.get(), owner, found.get());
    }
    return current.ref();
  }

  private Optional<Located> podBehind(Located service) {
    Map<String, String> selector = selectorOf(service.found().object());
    if (selector.isEmpty()) {
      return Optional.empty();
    }
    String namespace = service.ref().namespace();
    Optional<ResourceKind> podKind =
        kinds.allForKind("Pod").stream().filter(k -> k.group().isEmpty()).findFirst();
    if (podKind.isEmpty()) {
      return Optional.empty();
    }
    return lookup
        .firstPodSelectedBy(namespace, selector)
        .flatMap(
            pod ->
                lookup
                    .find(podKind.get(), namespace, pod)
                    .map(
                        found ->
                            new Located(
                                podKind.get(),
                                new ResourceRef("Pod", pod, namespace, "v1"),
                                found)));
  }

  private Optional<ResourceKind> kindOf(ResourceRef owner) {
    String group = groupOf(owner.apiVersion());
    return kinds.allForKind(owner.kind()).stream().filter(k -> k.group().equals(group)).findFirst();
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
