package ai.kubernaut.gateway.signal;

import java.util.Objects;

/**
 * A signal whose target has been resolved to the workload that owns it, with the incident
 * fingerprint that identity yields.
 */
public record Signal(InboundSignal details, ResourceRef target, Fingerprint fingerprint) {

  public Signal {
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /**
   * A signal about a workload of the cluster this gateway serves. Its fingerprint names the
   * workload alone, so an alert (labelled with this cluster or not) and a Kubernetes Event about it
   * share one incident.
   */
  public static Signal resolved(InboundSignal details, ResourceRef owner) {
    return new Signal(details, owner, Fingerprint.of("", owner));
  }

  /**
   * A signal about another cluster, as its sender named the target: the cluster stays in its
   * fingerprint, as the Go Gateway computes it.
   */
  public static Signal foreign(InboundSignal details) {
    ResourceRef target = details.primaryTarget();
    return new Signal(details, target, Fingerprint.of(details.clusterId(), target));
  }

  public String name() {
    return details.name();
  }

  public String namespace() {
    return target.namespace();
  }
}
