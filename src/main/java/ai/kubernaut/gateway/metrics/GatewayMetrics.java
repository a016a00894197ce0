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
  private final MeterFamily<Counter> received =
      counters(
          "gateway.signals.received",
          "Signals parsed, validated and resolved, before the scope check",
          "source_type",
          "severity");
  private final MeterFamily<Counter> deduplicated =
      counters(
          "gateway.signals.deduplicated",
          "Signals counted on an existing RemediationRequest",
          "signal_name");
  private final MeterFamily<Counter> rejected =
      counters("gateway.signals.rejected", "Signals rejected by the scope check", "reason");
  private final MeterFamily<Counter> resolvedAlerts =
      counters(
          "gateway.signals.resolved",
          "Resolved alerts recorded without opening or counting an incident",
          "source_type",
          "active_incident");
  private final MeterFamily<Counter> redelivered =
      counters(
          "gateway.signals.redelivered",
          "Signals of a byte-identical redelivery answered with their recorded result",
          "source_type");
  private final MeterFamily<Counter> decisions =
      counters(
          "gateway.dedup.decisions",
          "Recorded signals by dedup decision: new incident, or why an incident absorbed it",
          "decision");
  private final MeterFamily<Timer> httpRequests = new MeterFamily<>(this::httpRequestTimer);
  private final Counter creationErrors;

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
    creationErrors =
        Counter.builder("gateway.crd.creation.errors")
            .description("Signals that could not be recorded")
            .tag("error_type", "k8s_api_error")
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
    received.get(signal.details().source(), signal.details().severity()).increment();
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
      case Outcome.Duplicate d -> deduplicated.get(d.inbound().name()).increment();
      case Outcome.Rejected r -> rejected.get(r.reason()).increment();
      case Outcome.Resolved r ->
          resolvedAlerts
              .get(
                  r.inbound().source(),
                  r.ownerFound() ? Boolean.toString(r.activeIncident().isPresent()) : "unknown")
              .increment();
      case Outcome.Failed f when f.signal().isPresent() -> creationErrors.increment();
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
    redelivered.get(source).increment(signals);
  }

  private void decisions(Outcome outcome) {
    String decision =
        switch (outcome) {
          case Outcome.Created c -> "new";
          case Outcome.Duplicate d -> d.reason().name().toLowerCase(java.util.Locale.ROOT);
          default -> null;
        };
    if (decision != null) {
      decisions.get(decision).increment();
    }
  }

  public void httpRequest(String endpoint, String method, int status, long nanos) {
    httpRequests
        .get(endpoint, method, Integer.toString(status))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The timer of one endpoint, method and status: {@code values} in that order. */
  private Timer httpRequestTimer(java.util.List<String> values) {
    return Timer.builder("gateway.http.request.duration")
        .description("HTTP request duration on the API listener")
        .tag("endpoint", values.get(0))
        .tag("method", values.get(1))
        .tag("status", values.get(2))
        .serviceLevelObjectives(HTTP_BUCKETS)
        .register(registry);
  }

  /** Counters named {@code name}, one per combination of values of {@code labels}, in order. */
  private MeterFamily<Counter> counters(String name, String description, String... labels) {
    return new MeterFamily<>(
        values -> {
          Counter.Builder counter = Counter.builder(name).description(description);
          for (int i = 0; i < labels.length; i++) {
            counter.tag(labels[i], values.get(i));
          }
          return counter.register(registry);
        });
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
