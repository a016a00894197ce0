package ai.kubernaut.gateway.adapter.alertmanager;

import ai.kubernaut.gateway.signal.KubernetesNames;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the resources an alert's labels name, most specific workload first: labels whose key is a
 * resource's singular name or lowercase kind, ranked by tier (workload controllers, then the rest,
 * then Pod, then Node) and kind name. The API version is left to owner resolution, which knows
 * which group actually has the object.
 *
 * <p>Prometheus renames a series label that clashes with one of its scrape target's labels to
 * {@code exported_<key>} (with {@code honor_labels: false}, and in federation). The series is what
 * the alert is about, so {@code exported_pod} wins over {@code pod}, and its namespace is {@code
 * exported_namespace}. With {@code exported_namespace} present, a plain {@code pod} label is the
 * scrape target's own pod (the exporter's), never a candidate.
 */
final class TargetCandidates {

  /**
   * Labels whose values are never Kubernetes targets: Prometheus' own target labels, and the
   * sender's grouping labels {@code cluster}, {@code tenant} and {@code application}, which custom
   * resources (CloudNativePG, Cluster API and Rancher {@code Cluster}, Capsule {@code Tenant}, Argo
   * CD {@code Application}) would otherwise claim.
   */
  static final Set<String> RESERVED_KEYS =
      Set.of(
          "job",
          "service",
          "instance",
          "endpoint",
          "container",
          "namespace",
          "cluster",
          "tenant",
          "application");

  /**
   * Label keys that name a kind under another key: kube-state-metrics labels a Job {@code job_name}
   * because {@code job} is Prometheus' own label (KubeJobFailed, KubeJobNotCompleted).
   */
  private static final Map<String, String> KIND_KEY_ALIASES = Map.of("job_name", "job");

  static final ResourceRef UNKNOWN = ResourceRef.UNNAMED;

  private static final String EXPORTED = "exported_";
  private static final String EXPORTED_NAMESPACE = EXPORTED + "namespace";

  private record Candidate(ResourceKind kind, String name) {}

  /**
   * By tier (workload controllers, the rest, then Pod and Node), Pod before Node, then kind and
   * name.
   */
  private static final Comparator<Candidate> PRIORITY =
      Comparator.comparingInt((Candidate c) -> c.kind().tier())
          .thenComparing(c -> !c.kind().kind().equals("Pod"))
          .thenComparing(c -> c.kind().kind())
          .thenComparing(Candidate::name);

  private final ResourceKinds kinds;

  TargetCandidates(ResourceKinds kinds) {
    this.kinds = Objects.requireNonNull(kinds, "kinds");
  }

  /** Candidates in priority order; {@link #UNKNOWN} alone when no label names a resource. */
  List<ResourceRef> from(Map<String, String> labels) {
    List<Candidate> found = new ArrayList<>(2);
    seriesLabels(labels)
        .forEach(
            (key, value) -> {
              if (RESERVED_KEYS.contains(key)) {
                return;
              }
              kinds
                  .forLabelKey(KIND_KEY_ALIASES.getOrDefault(key, key))
                  .filter(kind -> KubernetesNames.isObjectName(value))
                  .map(kind -> new Candidate(kind, value))
                  .filter(candidate -> !found.contains(candidate))
                  .ifPresent(found::add);
            });
    if (found.isEmpty()) {
      return List.of(UNKNOWN);
    }
    found.sort(PRIORITY);
    Optional<String> labelledNamespace = labelledNamespace(labels);
    List<ResourceRef> candidates = new ArrayList<>(found.size());
    for (Candidate c : found) {
      candidates.add(
          new ResourceRef(
              c.kind().kind(), c.name(), namespaceFor(c.kind(), labelledNamespace), ""));
    }
    return List.copyOf(candidates);
  }

  /** The labels of the series itself: {@code exported_<key>} replaces {@code <key>}. */
  private static Map<String, String> seriesLabels(Map<String, String> labels) {
    Map<String, String> series = new HashMap<>();
    labels.forEach(
        (key, value) -> {
          if (!key.startsWith(EXPORTED)) {
            series.put(key, value);
          }
        });
    if (KubernetesNames.isNamespaceName(labels.get(EXPORTED_NAMESPACE))) {
      series.remove("pod");
    }
    labels.forEach(
        (key, value) -> {
          if (key.startsWith(EXPORTED) && key.length() > EXPORTED.length()) {
            series.put(key.substring(EXPORTED.length()), value);
          }
        });
    return series;
  }

  /** {@code exported_namespace} (federated Prometheus) wins over {@code namespace}. */
  static Optional<String> labelledNamespace(Map<String, String> labels) {
    for (String key : List.of(EXPORTED_NAMESPACE, "namespace")) {
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
