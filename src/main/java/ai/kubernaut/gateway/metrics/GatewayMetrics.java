package ai.kubernaut.gateway.metrics;

import ai.kubernaut.gateway.intake.IntakeMetrics;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.signal.SignalObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Every gateway metric, named and labelled as the Go Gateway's so existing dashboards and alerts
 * keep working.
 */
public final class GatewayMetrics implements SignalObserver, IntakeMetrics, AutoCloseable {

  private static final Duration[] HTTP_BUCKETS =
      IntStream.range(0, 10).mapToObj(k -> Duration.ofMillis(1L << k)).toArray(Duration[]::new);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final io.micrometer.core.instrument.DistributionSummary groupCommitSizes;
  private final Counter redeliveryEvictions;
  private final TextCounter crdsCreated =
      new TextCounter(
          "gateway_crds_created_total",
          "RemediationRequests created",
          java.util.List.of("source_type", "status"));

  public GatewayMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    groupCommitSizes =
        io.micrometer.core.instrument.DistributionSummary.builder("gateway.group.commit.signals")
            .description("Signals of one fingerprint folded into one RemediationRequest write")
            .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500)
            .register(registry);
    redeliveryEvictions =
        Counter.builder("gateway.redelivery.memory.evictions")
            .description(
                "Deliveries forgotten before their window ended because the memory was full")
            .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    StringBuilder text = new StringBuilder(registry.scrape());
    crdsCreated.render(text);
    return text.toString();
  }

  @Override
  public void resolved(Signal signal) {
    Counter.builder("gateway.signals.received")
        .description("Signals parsed, validated and resolved, before the scope check")
        .tag("source_type", signal.details().source())
        .tag("severity", signal.details().severity())
        .register(registry)
        .increment();
  }

  /** One conditional write folded {@code signals} signals of one fingerprint. */
  public void groupCommit(int signals) {
    groupCommitSizes.record(signals);
  }

  @Override
  public void completed(Outcome outcome, RequestContext context) {
    decisions(outcome);
    switch (outcome) {
      case Outcome.Created c -> crdsCreated.increment(c.inbound().source(), "created");
      case Outcome.Duplicate d ->
          Counter.builder("gateway.signals.deduplicated")
              .description("Signals counted on an existing RemediationRequest")
              .tag("signal_name", d.inbound().name())
              .register(registry)
              .increment();
      case Outcome.Rejected r ->
          Counter.builder("gateway.signals.rejected")
              .description("Signals rejected by the scope check")
              .tag("reason", r.reason())
              .register(registry)
              .increment();
      case Outcome.Resolved r ->
          Counter.builder("gateway.signals.resolved")
              .description("Resolved alerts recorded without opening or counting an incident")
              .tag("source_type", r.inbound().source())
              .tag(
                  "active_incident",
                  r.ownerFound() ? Boolean.toString(r.activeIncident().isPresent()) : "unknown")
              .register(registry)
              .increment();
      case Outcome.Failed f when f.signal().isPresent() ->
          Counter.builder("gateway.crd.creation.errors")
              .description("Signals that could not be recorded")
              .tag("error_type", "k8s_api_error")
              .register(registry)
              .increment();
      default -> {}
    }
  }

  @Override
  public void redeliveryEvicted() {
    redeliveryEvictions.increment();
  }

  /** Signals answered from a recent identical delivery instead of being counted again. */
  @Override
  public void redelivered(String source, long signals) {
    Counter.builder("gateway.signals.redelivered")
        .description("Signals of a byte-identical redelivery answered with their recorded result")
        .tag("source_type", source)
        .register(registry)
        .increment(signals);
  }

  private void decisions(Outcome outcome) {
    String decision =
        switch (outcome) {
          case Outcome.Created c -> "new";
          case Outcome.Duplicate d -> d.reason().name().toLowerCase(java.util.Locale.ROOT);
          default -> null;
        };
    if (decision != null) {
      Counter.builder("gateway.dedup.decisions")
          .description(
              "Recorded signals by dedup decision: new incident, or why an incident absorbed it")
          .tag("decision", decision)
          .register(registry)
          .increment();
    }
  }

  public void httpRequest(String endpoint, String method, int status, long nanos) {
    Timer.builder("gateway.http.request.duration")
        .description("HTTP request duration on the API listener")
        .tag("endpoint", endpoint)
        .tag("method", method)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(HTTP_BUCKETS)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
