package ai.kubernaut.gateway.kube;

import java.util.Set;

/** Which pods stand for their workload: not the finished ones, not the ones being deleted. */
final class PodStates {

  private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

  private PodStates() {}

  /** False for a pod that ran to completion or failed for good, or that is terminating. */
  static boolean isRunning(String phase, String deletionTimestamp) {
    return (phase == null || !FINISHED.contains(phase))
        && (deletionTimestamp == null || deletionTimestamp.isEmpty());
  }
}
