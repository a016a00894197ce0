package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.AuditTrail;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the gateway's audit events go, chosen by configuration: a durable spool delivered to
 * DataStorage, or a local JSON-lines file when no DataStorage is configured.
 */
public sealed interface AuditLog extends AuditTrail, AutoCloseable
    permits DataStorageAuditLog, JsonLinesAuditTrail {

  /** Records an event that is not about a signal, such as a configuration reload. */
  void record(AuditEvent event);

  /** Why new signals must be refused now (their events could not be recorded); empty to accept. */
  Optional<String> refusal();

  /**
   * What only a restart of the process cures, such as a disk error that failed the spool (it takes
   * events again only once reopened); empty while healthy. Fails liveness.
   */
  Optional<String> failure();

  /** The checks this log adds to readiness, in the order they are shown; none for a local file. */
  List<ReadinessCheck> readinessChecks();

  /** Where events go, for the start-up log. */
  String description();

  /** Delivers what it can within {@code drainBudget}, then closes; the rest waits on disk. */
  void close(Duration drainBudget);

  @Override
  default void close() {
    close(Duration.ZERO);
  }
}
