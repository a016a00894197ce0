package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches every RemediationRequest change in commit order and records each moment at which one
 * fingerprint had more than one active RemediationRequest, and the last occurrence count of every
 * RemediationRequest that was deleted.
 */
public final class ActiveIncidentMonitor implements AutoCloseable {

  private static final Set<String> TERMINAL =
      Set.of("Completed", "Failed", "TimedOut", "Skipped", "Cancelled");

  private final Map<String, Set<String>> activeByFingerprint = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<String, Integer> deletedCounts = new HashMap<>();
  private int deleted;
  private final SharedIndexInformer<RemediationRequest> informer;

  public ActiveIncidentMonitor(KubernetesClient client) {
    this(client, MockCluster.CONTROLLER_NAMESPACE);
  }

  /** Watches the RemediationRequests of {@code namespace}. */
  public ActiveIncidentMonitor(KubernetesClient client, String namespace) {
    informer =
        client
            .resources(RemediationRequest.class)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(RemediationRequest rr) {
                    observe(rr);
                  }

                  @Override
                  public void onUpdate(RemediationRequest oldRr, RemediationRequest newRr) {
                    observe(newRr);
                  }

                  @Override
                  public void onDelete(RemediationRequest rr, boolean unknownFinalState) {
                    forget(rr);
                  }
                });
  }

  private synchronized void observe(RemediationRequest rr) {
    String fingerprint = rr.getSpec().getSignalFingerprint();
    String phase = rr.getStatus() == null ? "" : String.valueOf(rr.getStatus().getOverallPhase());
    Set<String> active = activeByFingerprint.computeIfAbsent(fingerprint, k -> new HashSet<>());
    if (TERMINAL.contains(phase)) {
      active.remove(rr.getMetadata().getName());
    } else {
      active.add(rr.getMetadata().getName());
      if (active.size() > 1) {
        violations.add(fingerprint + " had active " + active);
      }
    }
  }

  private synchronized void forget(RemediationRequest rr) {
    deleted++;
    int count =
        rr.getStatus() == null || rr.getStatus().getDeduplication() == null
            ? 0
            : rr.getStatus().getDeduplication().getOccurrenceCount();
    deletedCounts.merge(rr.getSpec().getTargetResource().getName(), count, Integer::sum);
    activeByFingerprint
        .getOrDefault(rr.getSpec().getSignalFingerprint(), new HashSet<>())
        .remove(rr.getMetadata().getName());
  }

  /** The counts deleted RemediationRequests had when deleted, summed per target name. */
  public synchronized Map<String, Integer> deletedCounts() {
    return Map.copyOf(deletedCounts);
  }

  public synchronized int deleted() {
    return deleted;
  }

  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public void close() {
    informer.close();
  }
}
