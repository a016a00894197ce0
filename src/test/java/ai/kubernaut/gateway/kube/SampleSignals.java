package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Signal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Signals the kube tests build RemediationRequests from. */
final class SampleSignals {

  private SampleSignals() {}

  /**
   * A critical Prometheus alert {@code alertname} about a pod of Deployment {@code
   * namespace/deployment}, firing and received at {@code at}, resolved to the Deployment.
   */
  static Signal about(
      String alertname, String namespace, String deployment, Instant at, String payload) {
    InboundSignal inbound =
        new InboundSignal(
            "prometheus",
            alertname,
            "critical",
            "",
            List.of(ResourceRef.of("Pod", namespace, deployment + "-pod")),
            Map.of("alertname", alertname),
            Map.of(),
            at,
            at,
            payload);
    return Signal.resolved(inbound, ResourceRef.of("Deployment", namespace, deployment));
  }
}
