package ai.kubernaut.gateway.metrics;

import ai.kubernaut.gateway.kube.KubeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kubernetes backend's metrics: API requests by verb, resource and code, the write breaker's
 * state, failed discovery refreshes and incident claims. All but the request counters are
 * registered at once so that they show before the first event; a request counter is looked up once
 * per verb, resource and code, not built again per request.
 */
public final class KubeCounters implements KubeMetrics {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<List<String>, Counter> requests = new ConcurrentHashMap<>();
  private final AtomicInteger breakerState = new AtomicInteger();
  private final Counter refreshErrors;
  private final Counter claimsAcquired;
  private final Counter claimsContended;

  public KubeCounters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("gateway.circuit.breaker.state", breakerState, AtomicInteger::get)
        .description("Circuit breaker on Kubernetes API writes: 0 closed, 1 half-open, 2 open")
        .tag("name", "k8s-api")
        .register(registry);
    this.refreshErrors =
        Counter.builder("gateway.discovery.refresh.errors")
            .description("API discovery refreshes that failed wholly or in part")
            .register(registry);
    this.claimsAcquired = claims("acquired");
    this.claimsContended = claims("contended");
  }

  private Counter claims(String outcome) {
    return Counter.builder("gateway.incident.claims")
        .description("Creates of a new incident's deterministic name, by who won the claim")
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public void apiRequest(String verb, String resource, String code) {
    requests
        .computeIfAbsent(
            List.of(verb, resource, code),
            k ->
                Counter.builder("gateway.kube.api.requests")
                    .description("HTTP requests to the Kubernetes API, each attempt counted")
                    .tag("verb", verb)
                    .tag("resource", resource)
                    .tag("code", code)
                    .register(registry))
        .increment();
  }

  @Override
  public void writeBreakerState(int state) {
    breakerState.set(state);
  }

  @Override
  public void refreshFailed() {
    refreshErrors.increment();
  }

  @Override
  public void incidentClaimAcquired() {
    claimsAcquired.increment();
  }

  @Override
  public void incidentClaimContended() {
    claimsContended.increment();
  }
}
