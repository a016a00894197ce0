package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.intake.SignalSource;
import ai.kubernaut.gateway.signal.ResourceKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * The signal sources the gateway serves, one line each. A source is registered here and nowhere
 * else: its route, limits, freshness rule, redelivery memory, metrics and audit events follow.
 */
@FunctionalInterface
public interface SignalSources {

  /** The sources, given the resource kinds the cluster serves. */
  List<SignalSource<?>> create(ResourceKinds kinds);

  /** Alertmanager (and Grafana Alerting) webhooks, and Kubernetes Events. */
  SignalSources STANDARD =
      kinds -> List.of(new AlertmanagerSource(kinds), new KubernetesEventSource());

  /** These sources and {@code more}. */
  default SignalSources with(SignalSource<?> more) {
    return kinds -> {
      List<SignalSource<?>> all = new ArrayList<>(create(kinds));
      all.add(more);
      return List.copyOf(all);
    };
  }
}
