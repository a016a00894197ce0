package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.audit.AuditDelivery;
import ai.kubernaut.gateway.audit.AuditEventFactory;
import ai.kubernaut.gateway.audit.AuditLog;
import ai.kubernaut.gateway.audit.DataStorageAuditLog;
import ai.kubernaut.gateway.audit.JsonLinesAuditTrail;
import ai.kubernaut.gateway.audit.ReadinessCheck;
import ai.kubernaut.gateway.audit.SpooledAuditTrail;
import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.http.Readiness;
import ai.kubernaut.gateway.metrics.AuditMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the audit log the configuration asks for: with a DataStorage URL a durable spool delivered
 * in the background, else the local JSON-lines file.
 */
final class AuditSetup {

  private AuditSetup() {}

  static AuditLog open(
      GatewayConfig config,
      AuditEventFactory events,
      ObjectMapper json,
      AuditMetrics metrics,
      Tracer tracer,
      java.time.Clock clock) {
    GatewayConfig.Audit audit = config.audit();
    if (!config.dataStorage().configured()) {
      String why =
          config.source().sets("datastorage.url") ? "datastorage.url is empty" : "embedded mode";
      return new JsonLinesAuditTrail(audit.file(), events, json, why);
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
    return new DataStorageAuditLog(spool, trail, delivery, audit, config.dataStorage());
  }

  /** Adds the checks the audit log asks for to readiness, gating or only shown as it says. */
  static void addChecks(AuditLog log, Readiness readiness) {
    for (ReadinessCheck check : log.readinessChecks()) {
      if (check.gates()) {
        readiness.add(check.name(), check.problem());
      } else {
        readiness.report(check.name(), check.problem());
      }
    }
  }
}
