package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidSignalException;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.TargetResolver;
import ai.kubernaut.gateway.signal.TransientBackendException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a signal's target to the top-level workload that controls it by following controller
 * owner references through direct API reads: Pod → ReplicaSet → Deployment, Job → CronJob. A
 * Service stands for the workload behind the first pod it selects.
 */
public final class OwnerChainResolver implements TargetResolver {

  static final int MAX_DEPTH = 5;
  private static final Set<String> TRAVERSED_GROUPS =
      Set.of("", "apps", "batch", "autoscaling", "policy");

  private final ResourceKinds kinds;
  private final ObjectReader reader;

  OwnerChainResolver(ResourceKinds kinds, ObjectReader reader) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.reader = Objects.requireNonNull(reader, "reader");
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
    TransientBackendException transientFailure = null;
    for (ResourceRef candidate : candidates) {
      Optional<ResourceKind> kind = kinds.forKind(candidate.kind());
      if (kind.isEmpty() || !isTraversed(kind.get())) {
        return withApiVersion(candidate, kind);
      }
      try {
        Optional<ResourceRef> owner = ownerOf(candidate, kind.get());
        if (owner.isPresent()) {
          return owner.get();
        }
        missing.add(candidate.display());
      } catch (TransientBackendException e) {
        transientFailure = e;
      }
    }
    if (transientFailure != null) {
      throw transientFailure;
    }
    throw new InvalidSignalException(
        "target not found: " + String.join(", ", missing) + " does not exist in the cluster");
  }

  /** The controlling workload of an existing target; empty when the target does not exist. */
  private Optional<ResourceRef> ownerOf(ResourceRef target, ResourceKind kind) {
    if (kind.kind().equals("Service")) {
      Optional<ResourceRef> backing = podBehind(target);
      if (backing.isPresent()) {
        return ownerOf(backing.get(), kinds.forKind("Pod").orElseThrow());
      }
    }
    ResourceRef current =
        new ResourceRef(
            kind.kind(),
            target.name(),
            kind.namespaced() ? target.namespace() : "",
            kind.apiVersion());
    Optional<ObjectMeta> meta = reader.metadata(kind, current.namespace(), current.name());
    if (meta.isEmpty()) {
      return Optional.empty();
    }
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Optional<OwnerReference> controller = controllerOf(meta.get());
      if (controller.isEmpty()) {
        break;
      }
      OwnerReference ref = controller.get();
      current =
          new ResourceRef(ref.getKind(), ref.getName(), current.namespace(), ref.getApiVersion());
      Optional<ResourceKind> ownerKind = kinds.forKind(ref.getKind());
      if (ownerKind.isEmpty() || !isTraversed(ownerKind.get())) {
        break;
      }
      meta = reader.metadata(ownerKind.get(), current.namespace(), current.name());
      if (meta.isEmpty()) {
        break;
      }
    }
    return Optional.of(current);
  }

  private Optional<ResourceRef> podBehind(ResourceRef service) {
    Map<String, String> selector = reader.serviceSelector(service.namespace(), service.name());
    if (selector.isEmpty()) {
      return Optional.empty();
    }
    return reader
        .firstPodMatching(service.namespace(), selector)
        .map(pod -> new ResourceRef("Pod", pod, service.namespace(), "v1"));
  }

  private static Optional<OwnerReference> controllerOf(ObjectMeta meta) {
    if (meta.getOwnerReferences() == null) {
      return Optional.empty();
    }
    return meta.getOwnerReferences().stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()))
        .findFirst();
  }

  private static boolean isTraversed(ResourceKind kind) {
    return TRAVERSED_GROUPS.contains(kind.group());
  }

  private static ResourceRef withApiVersion(ResourceRef ref, Optional<ResourceKind> kind) {
    return ref.apiVersion().isEmpty() && kind.isPresent()
        ? ref.withApiVersion(kind.get().apiVersion())
        : ref;
  }
}
