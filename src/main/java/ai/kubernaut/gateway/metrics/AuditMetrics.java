package ai.kubernaut.gateway.metrics;

import ai.kubernaut.gateway.audit.AuditTelemetry;
import ai.kubernaut.gateway.audit.spool.Spool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The audit trail's metrics: {@code audit_events_dropped_total{service="gateway"}} as the Go
 * Gateway names it, plus the spool and DataStorage delivery.
 */
public final class AuditMetrics implements AuditTelemetry {

  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(60),
    Duration.ofMinutes(5),
    Duration.ofMinutes(30)
  };

  private final MeterRegistry registry;
  private final Counter dropped;
  private final Counter spooled;
  private final Counter sent;
  private final Counter deadLettered;
  private final Counter deliveryFailures;
  private final Timer latency;

  public AuditMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.dropped =
        Counter.builder("audit.events.dropped")
            .description("Audit events not kept (audit spool full in drop mode)")
            .tag("service", "gateway")
            .register(registry);
    this.spooled =
        Counter.builder("audit.events.spooled")
            .description("Audit events written to the local spool and forced to disk")
            .register(registry);
    this.sent =
        Counter.builder("audit.events.sent")
            .description("Audit events DataStorage accepted")
            .register(registry);
    this.deadLettered =
        Counter.builder("audit.events.dead.lettered")
            .description("Audit events DataStorage refused for good, kept in the dead-letter file")
            .register(registry);
    this.deliveryFailures =
        Counter.builder("audit.delivery.failures")
            .description("Delivery attempts to DataStorage that will be retried")
            .register(registry);
    this.latency =
        Timer.builder("audit.delivery.latency")
            .description("Time from spooling an audit event to DataStorage accepting it")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
  }

  /** Adds the spool's gauges: its size, backlog, oldest undelivered event and forced writes. */
  public void watch(Spool spool) {
    Gauge.builder("audit.spool.bytes", spool, Spool::bytes)
        .description("Bytes in the audit spool's segment files")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("audit.spool.max", spool, Spool::maxBytes)
        .description("Size at which the audit spool counts as full")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("audit.spool.pending.events", spool, Spool::pending)
        .description("Audit events on disk not yet accepted by DataStorage")
        .register(registry);
    Gauge.builder("audit.spool.oldest.pending.age", spool, AuditMetrics::oldestAgeSeconds)
        .description("Age of the oldest audit event not yet accepted by DataStorage")
        .baseUnit("seconds")
        .register(registry);
    FunctionCounter.builder("audit.spool.fsyncs", spool, Spool::forces)
        .description("Forced writes of the audit spool (one per group of concurrent requests)")
        .register(registry);
    FunctionCounter.builder("audit.events.lost", spool, Spool::eventsLost)
        .description(
            "Audit events that were on disk but read back damaged, so never reach DataStorage")
        .register(registry);
    Gauge.builder("audit.spool.failed", spool, s -> s.failure().isPresent() ? 1 : 0)
        .description("1 after a disk error of the audit spool, until the gateway restarts")
        .register(registry);
  }

  /** Adds a gauge of the dead-letter file's size, which counts towards the spool's limit. */
  public void watchDeadLetters(LongSupplier bytes) {
    Gauge.builder("audit.dead.letter.bytes", bytes, b -> b.getAsLong())
        .description("Bytes in the audit dead-letter file (counts towards audit_spool_max_bytes)")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /** Adds a gauge that is 1 while DataStorage accepts events or answered its last probe. */
  public void watchDataStorage(BooleanSupplier reachable) {
    Gauge.builder("audit.datastorage.reachable", reachable, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while DataStorage accepts audit events, 0 while it does not")
        .strongReference(true)
        .register(registry);
  }

  private static double oldestAgeSeconds(Spool spool) {
    return spool
        .oldestPending()
        .map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0)
        .orElse(0.0);
  }

  @Override
  public void spooled(int events) {
    spooled.increment(events);
  }

  @Override
  public void dropped(int events) {
    dropped.increment(events);
  }

  @Override
  public void sent(List<Duration> latencies) {
    sent.increment(latencies.size());
    latencies.forEach(latency::record);
  }

  @Override
  public void deadLettered(int events) {
    deadLettered.increment(events);
  }

  @Override
  public void deliveryFailed() {
    deliveryFailures.increment();
  }
}
