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

  public static Signal resolved(InboundSignal details, ResourceRef owner) {
    return new Signal(details, owner, Fingerprint.of(details.clusterId(), owner));
  }

  public String name() {
    return details.name();
  }

  public String namespace() {
    return target.namespace();
  }
}
