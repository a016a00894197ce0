package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.KubernetesNames;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An alert naming a pod and a node is about one of them. Series from the kubelet and cAdvisor, and
 * joins with {@code kube_pod_info}, carry the pod and the node it runs on: the pod is the subject.
 * A node series scraped from an exporter pod (kube-state-metrics, node-exporter) carries the
 * exporter's own pod: the node is the subject. The exporter is a pod that the alert's {@code
 * service} label's Service selects, or, scraped without a Service (a PodMonitor, so no {@code
 * service} label), a pod that runs on another node than the labelled one. A pod running elsewhere
 * whose series another Service names (the kubelet's) was rescheduled since the series began, as a
 * StatefulSet pod is: still the subject. Decided from the metadata caches only.
 */
final class PodOrNode {

  private final ResourceKinds kinds;
  private final MetadataLookup lookup;

  PodOrNode(ResourceKinds kinds, MetadataLookup lookup) {
    this.kinds = kinds;
    this.lookup = lookup;
  }

  /** The candidates without the one of a pod and a node that is not the subject. */
  List<ResourceRef> withoutTheOtherOne(List<ResourceRef> candidates, Map<String, String> labels) {
    Optional<ResourceRef> pod = candidates.stream().filter(c -> c.kind().equals("Pod")).findFirst();
    Optional<ResourceRef> node =
        candidates.stream().filter(c -> c.kind().equals("Node")).findFirst();
    if (pod.isEmpty() || node.isEmpty()) {
      return candidates;
    }
    String service = labels.get("service");
    boolean runsElsewhere =
        cachedPod(pod.get())
            .flatMap(PodOrNode::nodeNameOf)
            .filter(runsOn -> !runsOn.equals(node.get().name()))
            .isPresent();
    boolean exporter = isScrapeTarget(pod.get(), service) || (service == null && runsElsewhere);
    ResourceRef dropped = exporter ? pod.get() : node.get();
    return candidates.stream().filter(c -> !c.equals(dropped)).toList();
  }

  private Optional<GenericKubernetesResource> cachedPod(ResourceRef pod) {
    return OwnerChainResolver.coreKind(kinds, "Pod")
        .flatMap(kind -> lookup.cached(kind, pod.namespace(), pod.name()));
  }

  private static Optional<String> nodeNameOf(GenericKubernetesResource pod) {
    return pod.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
            && spec.get("nodeName") instanceof String node
            && !node.isEmpty()
        ? Optional.of(node)
        : Optional.empty();
  }

  /** True when the alert's {@code service} label names a cached Service selecting the pod. */
  private boolean isScrapeTarget(ResourceRef pod, String service) {
    if (!KubernetesNames.isObjectName(service)) {
      return false;
    }
    Optional<ResourceKind> podKind = OwnerChainResolver.coreKind(kinds, "Pod");
    Optional<ResourceKind> serviceKind = OwnerChainResolver.coreKind(kinds, "Service");
    if (podKind.isEmpty() || serviceKind.isEmpty()) {
      return false;
    }
    Optional<GenericKubernetesResource> cachedPod =
        lookup.cached(podKind.get(), pod.namespace(), pod.name());
    Map<String, String> selector =
        lookup
            .cached(serviceKind.get(), pod.namespace(), service)
            .map(MetadataLookup::selectorOf)
            .orElse(Map.of());
    return cachedPod.isPresent()
        && !selector.isEmpty()
        && MetadataLookup.matches(cachedPod.get(), selector);
  }
}
