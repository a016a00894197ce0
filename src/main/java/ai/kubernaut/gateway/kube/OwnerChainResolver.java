package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidSignalException;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.TargetResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves a signal's target to the top-level workload that controls it. The first candidate that
 * exists wins (of a kind served by several API groups, the group that has the object; when several
 * have it, the target keeps no API version); a candidate the gateway may not read is passed over,
 * and becomes the target as named only when no other candidate exists. Controller owner references
 * are then followed through the metadata caches: Pod → ReplicaSet → Deployment, Job → CronJob. A
 * Service stands for the workload behind the first running pod it selects.
 */
public final class OwnerChainResolver implements TargetResolver {

  private final PodOrNode podOrNode;
  private final CandidateLocator locator;
  private final OwnerChain chain;

  OwnerChainResolver(ResourceKinds kinds, MetadataLookup lookup) {
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(lookup, "lookup");
    this.podOrNode = new PodOrNode(kinds, lookup);
    this.locator = new CandidateLocator(kinds, lookup);
    this.chain = new OwnerChain(kinds, lookup);
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
    for (ResourceRef candidate : podOrNode.withoutTheOtherOne(candidates, signal.labels())) {
      List<ResourceKind> served = locator.servingGroups(candidate);
      if (served.isEmpty()) {
        // a kind the cluster does not serve cannot be checked; keep it as the sender named it
        return candidate;
      }
      try {
        Optional<Located> located = locator.locate(candidate, served);
        if (located.isPresent()) {
          return chain.ownerOf(located.get());
        }
        missing.add(candidate.display());
      } catch (NotReadableException e) {
        missing.add(candidate.display() + " (" + e.getMessage() + ")");
        if (firstUnreadable.isEmpty()) {
          firstUnreadable = Optional.of(CandidateLocator.asNamed(candidate, served));
        }
      }
    }
    if (firstUnreadable.isPresent()) {
      return firstUnreadable.get();
    }
    throw new InvalidSignalException(
        "target not found: " + String.join(", ", missing) + " does not exist in the cluster");
  }

  /** The kind of the core API group ({@code v1}) named {@code kind}, if the cluster serves it. */
  static Optional<ResourceKind> coreKind(ResourceKinds kinds, String kind) {
    return kinds.allForKind(kind).stream().filter(k -> k.group().isEmpty()).findFirst();
  }

  static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
