package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A signal as an adapter parsed it, before its target has been resolved to an owning workload.
 *
 * @param source the adapter that produced it: {@code prometheus} or {@code kubernetes-events}
 * @param name the alert name or event reason
 * @param severity the sender's severity, passed through unchanged
 * @param clusterId the cluster the signal is about: for an alert the webhook's common {@code
 *     cluster} label when present and non-empty, else the alert's own; empty when neither or for an
 *     Event
 * @param targetCandidates possible targets in priority order; never empty
 * @param labels merged alert labels, empty for events
 * @param annotations merged alert annotations, empty for events
 * @param firingTime when the condition started
 * @param receivedTime when the gateway parsed it
 * @param originalPayload the complete request body as text
 * @param resolved the sender says the condition has ended (an alert with {@code "status":
 *     "resolved"}); always false for an Event
 * @param origin the product that sent it when the route's payload format is shared by several (e.g.
 *     {@code grafana} for Grafana Alerting on the Alertmanager route); empty otherwise
 */
public record InboundSignal(
    String source,
    String name,
    String severity,
    String clusterId,
    List<ResourceRef> targetCandidates,
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant firingTime,
    Instant receivedTime,
    String originalPayload,
    boolean resolved,
    String origin) {

  public static final String SIGNAL_TYPE = "alert";

  /** A firing signal whose route has a single sender product. */
  public InboundSignal(
      String source,
      String name,
      String severity,
      String clusterId,
      List<ResourceRef> targetCandidates,
      Map<String, String> labels,
      Map<String, String> annotations,
      Instant firingTime,
      Instant receivedTime,
      String originalPayload) {
    this(
        source,
        name,
        severity,
        clusterId,
        targetCandidates,
        labels,
        annotations,
        firingTime,
        receivedTime,
        originalPayload,
        false,
        "");
  }

  public InboundSignal {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(severity, "severity");
    clusterId = clusterId == null ? "" : clusterId;
    targetCandidates = List.copyOf(targetCandidates);
    if (targetCandidates.isEmpty()) {
      throw new IllegalArgumentException("a signal needs at least one target candidate");
    }
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(firingTime, "firingTime");
    Objects.requireNonNull(receivedTime, "receivedTime");
    Objects.requireNonNull(originalPayload, "originalPayload");
    origin = origin == null ? "" : origin;
  }

  /** Whether the sender named a Kubernetes resource at all. */
  public boolean namesAResource() {
    return !(targetCandidates.size() == 1
        && targetCandidates.getFirst().equals(ResourceRef.UNNAMED));
  }

  /** The target named by the sender, before owner resolution. */
  public ResourceRef primaryTarget() {
    return targetCandidates.getFirst();
  }
}
