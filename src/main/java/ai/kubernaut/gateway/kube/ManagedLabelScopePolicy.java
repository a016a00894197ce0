package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.ScopePolicy;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Opt-in by label {@code kubernaut.ai/managed}: the workload's own label wins ({@code "true"} or
 * {@code "false"}), then its namespace's label. Cluster-scoped workloads and everything unlabelled
 * are unmanaged.
 */
public final class ManagedLabelScopePolicy implements ScopePolicy {

  public static final String MANAGED_LABEL = "kubernaut.ai/managed";
  private static final ResourceKind NAMESPACE =
      new ResourceKind("Namespace", "namespaces", "v1", false, 2);

  private final ResourceKinds kinds;
  private final ObjectReader reader;

  ManagedLabelScopePolicy(ResourceKinds kinds, ObjectReader reader) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  @Override
  public boolean isManaged(ResourceRef owner) {
    Optional<Boolean> ownLabel =
        kinds
            .forKind(owner.kind())
            .flatMap(kind -> reader.metadata(kind, owner.namespace(), owner.name()))
            .flatMap(ManagedLabelScopePolicy::managedLabel);
    if (ownLabel.isPresent()) {
      return ownLabel.get();
    }
    if (owner.clusterScoped()) {
      return false;
    }
    return reader
        .metadata(NAMESPACE, "", owner.namespace())
        .flatMap(ManagedLabelScopePolicy::managedLabel)
        .orElse(false);
  }

  private static Optional<Boolean> managedLabel(ObjectMeta meta) {
    Map<String, String> labels = meta.getLabels();
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
