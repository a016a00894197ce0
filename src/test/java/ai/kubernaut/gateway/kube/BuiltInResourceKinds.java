package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A fixed stand-in for discovery: the built-in kinds alerts commonly name, with their tiers. */
public final class BuiltInResourceKinds implements ResourceKinds {

  private static final List<ResourceKind> KINDS =
      List.of(
          new ResourceKind("Deployment", "deployments", "apps/v1", true, 1),
          new ResourceKind("StatefulSet", "statefulsets", "apps/v1", true, 1),
          new ResourceKind("DaemonSet", "daemonsets", "apps/v1", true, 1),
          new ResourceKind("CronJob", "cronjobs", "batch/v1", true, 1),
          new ResourceKind("ReplicaSet", "replicasets", "apps/v1", true, 2),
          new ResourceKind("Job", "jobs", "batch/v1", true, 2),
          new ResourceKind(
              "HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling/v2", true, 2),
          new ResourceKind("PodDisruptionBudget", "poddisruptionbudgets", "policy/v1", true, 2),
          new ResourceKind("PersistentVolumeClaim", "persistentvolumeclaims", "v1", true, 2),
          new ResourceKind("PersistentVolume", "persistentvolumes", "v1", false, 2),
          new ResourceKind("Service", "services", "v1", true, 2),
          new ResourceKind("Namespace", "namespaces", "v1", false, 2),
          new ResourceKind("Pod", "pods", "v1", true, 3),
          new ResourceKind("Node", "nodes", "v1", false, 3));

  private final Map<String, ResourceKind> byKind =
      KINDS.stream().collect(Collectors.toMap(ResourceKind::kind, Function.identity()));
  private final Map<String, ResourceKind> byLabelKey =
      KINDS.stream()
          .collect(Collectors.toMap(k -> k.kind().toLowerCase(Locale.ROOT), Function.identity()));

  @Override
  public Optional<ResourceKind> forLabelKey(String labelKey) {
    return Optional.ofNullable(byLabelKey.get(labelKey));
  }

  @Override
  public Optional<ResourceKind> forKind(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  @Override
  public List<ResourceKind> allForKind(String kind) {
    return forKind(kind).stream().toList();
  }
}
