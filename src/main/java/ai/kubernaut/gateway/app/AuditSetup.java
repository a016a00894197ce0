package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.audit.AuditDelivery;
import ai.kubernaut.gateway.audit.AuditEvent;
import ai.kubernaut.gateway.audit.AuditEventFactory;
import ai.kubernaut.gateway.audit.JsonLinesAuditTrail;
import ai.kubernaut.gateway.audit.SpooledAuditTrail;
import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.http.Admission;
import ai.kubernaut.gateway.http.Readiness;
import ai.kubernaut.gateway.metrics.AuditMetrics;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.signal.SignalObserver;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and builds the audit trail: with a DataStorage URL a durable spool delivered in the
 * background, else the local JSON-lines file. Embedded mode uses the file unless the configuration
 * file names a DataStorage. It observes signals on behalf of the trail it chose.
 */
final class AuditSetup implements SignalObserver, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditSetup.class);

  private final SignalObserver observer;
  private final AuditEventFactory events;
  private final Consumer<AuditEvent> recorder;
  private final Admission admission;
  private final String description;
  private final AutoCloseable file;
  private final Spool spool;
  private final AuditDelivery delivery;

  private AuditSetup(
      SignalObserver observer,
      AuditEventFactory events,
      Consumer<AuditEvent> recorder,
      Admission admission,
      String description,
      AutoCloseable file,
      Spool spool,
      AuditDelivery delivery) {
    this.observer = observer;
    this.events = events;
    this.recorder = recorder;
    this.admission = admission;
    this.description = description;
    this.file = file;
    this.spool = spool;
    this.delivery = delivery;
  }

  static AuditSetup create(
      GatewayConfig config,
      boolean embedded,
      ObjectMapper json,
      Clock clock,
      AuditMetrics metrics,
      Tracer tracer) {
    AuditEventFactory events = new AuditEventFactory(json, clock);
    GatewayConfig.Audit audit = config.audit();
    boolean embeddedDefault = embedded && !config.source().sets("datastorage.url");
    if (embeddedDefault || !config.dataStorage().configured()) {
      JsonLinesAuditTrail trail = new JsonLinesAuditTrail(audit.file(), events, json);
      String why = config.dataStorage().configured() ? "embedded mode" : "datastorage.url is empty";
      return new AuditSetup(
          trail,
          events,
          trail::record,
          Admission.always(),
          "audit events are appended to " + audit.file().toAbsolutePath() + " (" + why + ")",
          trail,
          null,
          null);
    }
    GatewayConfig.AuditSpool settings = audit.spool();
    Spool spool;
    try {
      spool = Spool.open(settings.directory(), settings.maxBytes(), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit spool " + settings.directory(), e);
    }
    SpooledAuditTrail trail =
        new SpooledAuditTrail(spool, events, json, settings.onFull(), metrics);
    AuditDelivery delivery =
        AuditDelivery.start(spool, config.dataStorage(), audit, json, clock, metrics, tracer);
    metrics.watch(spool);
    metrics.watchDataStorage(delivery::dataStorageReachable);
    metrics.watchDeadLetters(delivery::deadLetterBytes);
    String description =
        "audit events are spooled in %s (full at %d bytes, then %s new signals) and delivered to %s"
            .formatted(
                settings.directory().toAbsolutePath(),
                settings.maxBytes(),
                settings.onFull() == GatewayConfig.OnFull.REJECT ? "refusing" : "not auditing",
                config.dataStorage().url());
    return new AuditSetup(
        trail, events, trail::record, trail::refusal, description, null, spool, delivery);
  }

  @Override
  public void resolved(Signal signal) {
    observer.resolved(signal);
  }

  @Override
  public void completed(Outcome outcome, RequestContext context) {
    observer.completed(outcome, context);
  }

  /** Records {@code gateway.config.reloaded} for {@code component}. */
  void configReloaded(String component, String configVersion) {
    recorder.accept(events.configReloaded(component, Optional.of(configVersion)));
  }

  /** Records {@code gateway.config.rejected} for {@code component}. */
  void configRejected(String component, String reason) {
    recorder.accept(events.configRejected(component, reason));
  }

  Admission admission() {
    return admission;
  }

  String description() {
    return description;
  }

  /**
   * Adds the audit checks: a spool that refuses signals makes readiness fail; DataStorage is shown
   * and, only when {@code audit.dataStorageGatesReadiness} is set, gates readiness too.
   */
  void addChecks(Readiness readiness, GatewayConfig.Audit config) {
    if (delivery == null) {
      return;
    }
    readiness.add("auditSpool", () -> admission.refusal().orElse(null));
    if (config.dataStorageGatesReadiness()) {
      readiness.add("dataStorage", delivery::dataStorageProblem);
    } else {
      readiness.report("dataStorage", delivery::dataStorageProblem);
    }
  }

  /**
   * What a restart of the process would cure: a disk error that failed the audit spool (it takes
   * events again only once reopened). Empty without a spool.
   */
  Optional<String> livenessProblem() {
    return spool == null ? Optional.empty() : spool.failure();
  }

  /** Delivers what it can within {@code drainBudget}, then closes; the rest waits on disk. */
  void close(Duration drainBudget) {
    if (delivery != null) {
      delivery.close(drainBudget);
      long left = spool.pending();
      if (left > 0) {
        log.info("{} audit events stay in the spool and are delivered after the next start", left);
      }
    }
    close();
  }

  @Override
  public void close() {
    try {
      if (file != null) {
        file.close();
      }
      if (spool != null) {
        spool.close();
      }
    } catch (Exception e) {
      log.warn("closing the audit trail failed", e);
    }
  }
}
