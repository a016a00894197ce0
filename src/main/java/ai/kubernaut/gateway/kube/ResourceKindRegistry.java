package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One immutable snapshot of the kinds the cluster serves, built from discovery resource lists in
 * discovery order: a label key names the kind whose singular name or lowercase kind it is (first
 * discovered wins), and a kind maps to one resource per API group (first discovered first).
 */
final class ResourceKindRegistry implements ResourceKinds {

  /** Workload controllers: the most specific targets an alert can name. */
  static final Set<String> WORKLOAD_CONTROLLERS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "CronJob", "DeploymentConfig");

  /** Kinds named by almost every alert, so the least specific targets. */
  static final Set<String> LEAST_SPECIFIC = Set.of("Pod", "Node");

  private final Map<String, ResourceKind> byLabelKey;
  private final Map<String, List<ResourceKind>> byKind;

  private ResourceKindRegistry(
      Map<String, ResourceKind> byLabelKey, Map<String, List<ResourceKind>> byKind) {
    this.byLabelKey = Map.copyOf(byLabelKey);
    Map<String, List<ResourceKind>> copy = new LinkedHashMap<>();
    byKind.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.byKind = Map.copyOf(copy);
  }

  /** Builds a snapshot from resource lists, skipping subresources such as {@code pods/status}. */
  static ResourceKindRegistry of(List<APIResourceList> lists) {
    Map<String, ResourceKind> byLabelKey = new LinkedHashMap<>();
    Map<String, List<ResourceKind>> byKind = new LinkedHashMap<>();
    for (APIResourceList list : lists) {
      String apiVersion = list.getGroupVersion();
      if (apiVersion == null || list.getResources() == null) {
        continue;
      }
      for (APIResource resource : list.getResources()) {
        if (resource.getName() == null || resource.getName().contains("/")) {
          continue;
        }
        if (resource.getKind() == null || resource.getKind().isEmpty()) {
          continue;
        }
        if (cannotBeRead(resource)) {
          continue;
        }
        ResourceKind kind = kindOf(resource, apiVersion);
        List<ResourceKind> groups = byKind.computeIfAbsent(kind.kind(), k -> new ArrayList<>());
        if (groups.stream().anyMatch(g -> g.group().equals(kind.group()))) {
          continue;
        }
        groups.add(kind);
        String singular = resource.getSingularName();
        if (singular != null && !singular.isEmpty()) {
          byLabelKey.putIfAbsent(singular, kind);
        }
        byLabelKey.putIfAbsent(kind.kind().toLowerCase(Locale.ROOT), kind);
      }
    }
    return new ResourceKindRegistry(byLabelKey, byKind);
  }

  /**
   * A resource that discovery says cannot be read with {@code get} (Binding, TokenReview,
   * SubjectAccessReview and the other create-only kinds): a GET would be answered 405, which no
   * redelivery changes. Discovery documents without verbs count as readable.
   */
  private static boolean cannotBeRead(APIResource resource) {
    List<String> verbs = resource.getVerbs();
    return verbs != null && !verbs.isEmpty() && !verbs.contains("get");
  }

  static int tierOf(String kind) {
    if (WORKLOAD_CONTROLLERS.contains(kind)) {
      return 1;
    }
    return LEAST_SPECIFIC.contains(kind) ? 3 : 2;
  }

  private static ResourceKind kindOf(APIResource resource, String apiVersion) {
    return new ResourceKind(
        resource.getKind(),
        resource.getName(),
        apiVersion,
        Boolean.TRUE.equals(resource.getNamespaced()),
        tierOf(resource.getKind()));
  }

  /** Number of distinct kinds. */
  int size() {
    return byKind.size();
  }

  @Override
  public Optional<ResourceKind> forLabelKey(String labelKey) {
    return Optional.ofNullable(byLabelKey.get(labelKey));
  }

  @Override
  public Optional<ResourceKind> forKind(String kind) {
    return allForKind(kind).stream().findFirst();
  }

  @Override
  public List<ResourceKind> allForKind(String kind) {
    return byKind.getOrDefault(kind, List.of());
  }
}
