package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events written to a durable spool before the sender is answered, and delivered to
 * DataStorage in the background.
 */
public final class DataStorageAuditLog implements AuditLog {

  private static final Logger log = LoggerFactory.getLogger(DataStorageAuditLog.class);

  private final Spool spool;
  private final SpooledAuditTrail trail;
  private final AuditDelivery delivery;
  private final String description;
  private final boolean dataStorageGatesReadiness;

  public DataStorageAuditLog(
      Spool spool,
      SpooledAuditTrail trail,
      AuditDelivery delivery,
      GatewayConfig.Audit audit,
      GatewayConfig.DataStorage dataStorage) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.trail = Objects.requireNonNull(trail, "trail");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.dataStorageGatesReadiness = audit.dataStorageGatesReadiness();
    GatewayConfig.AuditSpool settings = audit.spool();
    this.description =
        "audit events are spooled in %s (full at %d bytes, then %s new signals) and delivered to %s"
            .formatted(
                settings.directory().toAbsolutePath(),
                settings.maxBytes(),
                settings.onFull() == GatewayConfig.OnFull.REJECT ? "refusing" : "not auditing",
                dataStorage.url());
  }

  @Override
  public void record(Outcome outcome, RequestContext context) {
    trail.record(outcome, context);
  }

  @Override
  public void record(AuditEvent event) {
    trail.record(event);
  }

  @Override
  public Optional<String> refusal() {
    return trail.refusal();
  }

  @Override
  public Optional<String> failure() {
    return spool.failure();
  }

  /** What is wrong with DataStorage, or empty while it accepts events. */
  private Optional<String> dataStorageProblem() {
    return Optional.ofNullable(delivery.dataStorageProblem());
  }

  /**
   * A spool that refuses signals fails readiness; DataStorage is shown and, only when {@code
   * audit.dataStorageGatesReadiness} is set, gates readiness too.
   */
  @Override
  public List<ReadinessCheck> readinessChecks() {
    return List.of(
        new ReadinessCheck("auditSpool", this::refusal, true),
        new ReadinessCheck("dataStorage", this::dataStorageProblem, dataStorageGatesReadiness));
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close(Duration drainBudget) {
    delivery.close(drainBudget);
    long left = spool.pending();
    if (left > 0) {
      log.info("{} audit events stay in the spool and are delivered after the next start", left);
    }
    try {
      spool.close();
    } catch (IOException e) {
      log.warn("closing the audit spool failed", e);
    }
  }
}
