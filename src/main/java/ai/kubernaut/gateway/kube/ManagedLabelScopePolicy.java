package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.ScopePolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Opt-in by label {@code kubernaut.ai/managed}: the workload's own label wins ({@code "true"} or
 * {@code "false"}), then its namespace's label. Cluster-scoped workloads and everything unlabelled
 * are unmanaged. Labels are read from the metadata caches.
 */
public final class ManagedLabelScopePolicy implements ScopePolicy {

  public static final String MANAGED_LABEL = "kubernaut.ai/managed";
  private static final ResourceKind NAMESPACE =
      new ResourceKind("Namespace", "namespaces", "v1", false, 2);

  /** Kinds whose own label is consulted; any other kind is decided by its namespace. */
  private static final Set<String> OWN_LABEL_KINDS =
      Set.of(
          "Pod",
          "Node",
          "Service",
          "ConfigMap",
          "Secret",
          "Namespace",
          "PersistentVolume",
          "ReplicaSet",
          "Deployment",
          "StatefulSet",
          "DaemonSet",
          "Job",
          "CronJob");

  private final ResourceKinds kinds;
  private final MetadataLookup lookup;

  ManagedLabelScopePolicy(ResourceKinds kinds, MetadataLookup lookup) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  @Override
  public boolean isManaged(ResourceRef owner) {
    Optional<Boolean> ownLabel = Optional.empty();
    if (OWN_LABEL_KINDS.contains(owner.kind())) {
      ownLabel =
          kindOf(owner)
              .flatMap(
                  kind ->
                      lookup.find(kind, kind.namespaced() ? owner.namespace() : "", owner.name()))
              .flatMap(found -> managedLabel(found.object()));
    }
    if (ownLabel.isPresent()) {
      return ownLabel.get();
    }
    if (owner.clusterScoped()) {
      return false;
    }
    return lookup
        .find(NAMESPACE, "", owner.namespace())
        .flatMap(found -> managedLabel(found.object()))
        .orElse(false);
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
    if ("true".equals(value)) {
      return Optional.of(true);
    }
    if ("false".equals(value)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }
}
