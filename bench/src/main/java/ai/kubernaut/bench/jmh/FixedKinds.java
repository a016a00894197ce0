package ai.kubernaut.bench.jmh;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The built-in kinds alerts commonly name, standing in for the gateway's discovery registry. */
final class FixedKinds implements ResourceKinds {

  private static final List<ResourceKind> KINDS =
      List.of(
          new ResourceKind("Deployment", "deployments", "apps/v1", true, 1),
          new ResourceKind("StatefulSet", "statefulsets", "apps/v1", true, 1),
          new ResourceKind("DaemonSet", "daemonsets", "apps/v1", true, 1),
          new ResourceKind("CronJob", "cronjobs", "batch/v1", true, 1),
          new ResourceKind("ReplicaSet", "replicasets", "apps/v1", true, 2),
          new ResourceKind("Pod", "pods", "v1", true, 3),
          new ResourceKind("Node", "nodes", "v1", false, 3));

  private final Map<String, ResourceKind> byKind =
      KINDS.stream().collect(Collectors.toMap(ResourceKind::kind, Function.identity()));

  @Override
  public Optional<ResourceKind> forLabelKey(String labelKey) {
    return KINDS.stream()
        .filter(k -> k.kind().toLowerCase(Locale.ROOT).equals(labelKey))
        .findFirst();
  }

  @Override
  public Optional<ResourceKind> forKind(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  @Override
  public List<ResourceKind> allForKind(String kind) {
    return forKind(kind).map(List::of).orElse(List.of());
  }
}
