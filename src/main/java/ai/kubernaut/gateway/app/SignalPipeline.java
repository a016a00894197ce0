package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.audit.AuditEventFactory;
import ai.kubernaut.gateway.audit.AuditLog;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.intake.OutcomeLog;
import ai.kubernaut.gateway.kube.KubernetesBackend;
import ai.kubernaut.gateway.metrics.AuditMetrics;
import ai.kubernaut.gateway.metrics.GatewayMetrics;
import ai.kubernaut.gateway.signal.ClaimSightings;
import ai.kubernaut.gateway.signal.GroupCommitQueue;
import ai.kubernaut.gateway.signal.IncidentRecorder;
import ai.kubernaut.gateway.signal.SignalObserver;
import ai.kubernaut.gateway.signal.SignalProcessor;
import ai.kubernaut.gateway.telemetry.TracedExecutor;
import ai.kubernaut.gateway.telemetry.TracedTargetResolver;
import ai.kubernaut.gateway.telemetry.Tracing;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up step two: the signal pipeline (owner resolution, scope, incident recording, the audit
 * log) and the workers its group-committed writes run on.
 */
final class SignalPipeline {

  private static final Logger log = LoggerFactory.getLogger(SignalPipeline.class);

  private final SignalProcessor processor;
  private final AuditLog audit;
  private final AuditEventFactory auditEvents;
  private final ExecutorService workers;

  private SignalPipeline(
      SignalProcessor processor,
      AuditLog audit,
      AuditEventFactory auditEvents,
      ExecutorService workers) {
    this.processor = processor;
    this.audit = audit;
    this.auditEvents = auditEvents;
    this.workers = workers;
  }

  static SignalPipeline build(
      GatewayConfig config,
      KubernetesBackend backend,
      ObjectMapper json,
      Clock clock,
      GatewayMetrics metrics,
      Tracing tracing) {
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    AuditEventFactory auditEvents = new AuditEventFactory(json, clock);
    AuditLog audit =
        AuditSetup.open(
            config,
            auditEvents,
            json,
            new AuditMetrics(metrics.registry()),
            tracing.tracer(),
            clock);
    SignalProcessor processor =
        new SignalProcessor(
            tracing.enabled()
                ? new TracedTargetResolver(backend.targetResolver(), tracing.tracer())
                : backend.targetResolver(),
            backend.scopePolicy(),
            new IncidentRecorder(
                backend.incidentStore(),
                ClaimSightings.onMonotonicClock(),
                clock,
                new IncidentRecorder.GroupCommit(
                    tracing.enabled()
                        ? new TracedExecutor(workers, tracing.tracer(), "record incident")
                        : workers,
                    tracing.enabled()
                        ? new TracedExecutor(Runnable::run, tracing.tracer(), "record incident")
                        : Runnable::run,
                    config.processing().groupCommitMaxSignals(),
                    GroupCommitQueue.pauseFor(config.processing().groupCommitBurstLinger()),
                    metrics::groupCommit)),
            audit,
            SignalObserver.all(List.of(metrics, new OutcomeLog())),
            clock,
            config.identity().clusterId(),
            config.processing().resolvedAlerts() == GatewayConfig.ResolvedAlerts.IGNORE
                ? SignalProcessor.ResolvedAlerts.IGNORE
                : SignalProcessor.ResolvedAlerts.AS_FIRING);
    return new SignalPipeline(processor, audit, auditEvents, workers);
  }

  SignalProcessor processor() {
    return processor;
  }

  AuditLog audit() {
    return audit;
  }

  AuditEventFactory auditEvents() {
    return auditEvents;
  }

  /**
   * Lets signal work under way finish within {@code budget}; the audit log then delivers what it
   * can in what is left of it and closes.
   */
  void stop(Duration budget) {
    long started = System.nanoTime();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(budget.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("shutdown budget exceeded; abandoning unfinished signal work");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration left = budget.minus(Duration.ofNanos(System.nanoTime() - started));
    audit.close(left.isNegative() ? Duration.ZERO : left);
  }
}
