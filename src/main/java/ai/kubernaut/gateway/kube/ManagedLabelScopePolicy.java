package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.ScopePolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Opt-in by label {@code kubernaut.ai/managed}: the target's own label wins ({@code "true"} or
 * {@code "false"}, in any letter case), whatever its kind, then its namespace's label.
 * Cluster-scoped targets and everything unlabelled are unmanaged. A target the gateway may not read
 * is decided by its namespace.
 */
public final class ManagedLabelScopePolicy implements ScopePolicy {

  public static final String MANAGED_LABEL = "kubernaut.ai/managed";
  private static final ResourceKind NAMESPACE =
      new ResourceKind("Namespace", "namespaces", "v1", false, 2);

  private final ResourceKinds kinds;
  private final MetadataLookup lookup;

  ManagedLabelScopePolicy(ResourceKinds kinds, MetadataLookup lookup) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  @Override
  public boolean isManaged(ResourceRef owner) {
    Optional<ResourceKind> kind = kindOf(owner);
    Optional<Boolean> ownLabel = kind.flatMap(k -> ownLabel(k, owner));
    if (ownLabel.isPresent()) {
      return ownLabel.get();
    }
    if (owner.clusterScoped() || kind.map(k -> !k.namespaced()).orElse(false)) {
      return false;
    }
    try {
      return lookup
          .find(NAMESPACE, "", owner.namespace())
          .flatMap(found -> managedLabel(found.object()))
          .orElse(false);
    } catch (NotReadableException e) {
      return false;
    }
  }

  private Optional<Boolean> ownLabel(ResourceKind kind, ResourceRef owner) {
    try {
      return lookup
          .find(kind, kind.namespaced() ? owner.namespace() : "", owner.name())
          .flatMap(found -> managedLabel(found.object()));
    } catch (NotReadableException e) {
      return Optional.empty();
    }
  }

  private Optional<ResourceKind> kindOf(ResourceRef owner) {
    String group = OwnerChainResolver.groupOf(owner.apiVersion());
    return kinds.allForKind(owner.kind()).stream()
        .filter(k -> owner.apiVersion().isEmpty() || k.group().equals(group))
        .findFirst();
  }

  private static Optional<Boolean> managedLabel(GenericKubernetesResource object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(MANAGED_LABEL);
    if ("true".equalsIgnoreCase(value)) {
      return Optional.of(true);
    }
    if ("false".equalsIgnoreCase(value)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }
}
