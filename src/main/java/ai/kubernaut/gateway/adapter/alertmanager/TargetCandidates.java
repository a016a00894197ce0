package ai.kubernaut.gateway.adapter.alertmanager;

import ai.kubernaut.gateway.signal.KubernetesNames;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the resources an alert's labels name, most specific workload first: labels whose key is a
 * resource's singular name or lowercase kind, ranked by tier (workload controllers, then the rest,
 * then Pod and Node) and kind name. The API version is left to owner resolution, which knows which
 * group actually has the object.
 */
final class TargetCandidates {

  /** Prometheus' own labels; their values are never Kubernetes targets. */
  static final Set<String> RESERVED_KEYS =
      Set.of("job", "service", "instance", "endpoint", "container", "namespace");

  static final ResourceRef UNKNOWN = ResourceRef.of("Unknown", "", "unknown");

  private final ResourceKinds kinds;

  TargetCandidates(ResourceKinds kinds) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
  }

  /** Candidates in priority order; {@link #UNKNOWN} alone when no label names a resource. */
  List<ResourceRef> from(Map<String, String> labels) {
    Optional<String> labelledNamespace = labelledNamespace(labels);
    record Candidate(ResourceKind kind, String name) {}
    List<ResourceRef> candidates =
        labels.entrySet().stream()
            .filter(e -> !RESERVED_KEYS.contains(e.getKey()))
            .filter(e -> KubernetesNames.isObjectName(e.getValue()))
            .flatMap(
                e ->
                    kinds.forLabelKey(e.getKey()).map(k -> new Candidate(k, e.getValue())).stream())
            .distinct()
            .sorted(
                Comparator.comparingInt((Candidate c) -> c.kind().tier())
                    .thenComparing(c -> c.kind().kind())
                    .thenComparing(Candidate::name))
            .map(
                c ->
                    new ResourceRef(
                        c.kind().kind(), c.name(), namespaceFor(c.kind(), labelledNamespace), ""))
            .toList();
    return candidates.isEmpty() ? List.of(UNKNOWN) : candidates;
  }

  /** {@code exported_namespace} (federated Prometheus) wins over {@code namespace}. */
  static Optional<String> labelledNamespace(Map<String, String> labels) {
    for (String key : List.of("exported_namespace", "namespace")) {
      String value = labels.get(key);
      if (KubernetesNames.isNamespaceName(value)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private static String namespaceFor(ResourceKind kind, Optional<String> labelledNamespace) {
    return kind.namespaced() ? labelledNamespace.orElse("default") : "";
  }
}
