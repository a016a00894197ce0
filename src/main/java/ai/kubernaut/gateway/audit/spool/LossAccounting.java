package ai.kubernaut.gateway.audit.spool;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts durable records that read back damaged or unreadable once, even across restarts (the
 * {@link LostLedger} on disk remembers what was counted), and logs every loss the reader passes.
 */
final class LossAccounting {

  // under the spool's name, which log configurations already know
  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  private final Path directory;
  private final LostLedger ledger;
  private final AtomicLong eventsLost = new AtomicLong();

  /**
   * @param foundAtStart records recovery found lost and counted in the ledger
   */
  LossAccounting(Path directory, LostLedger ledger, long foundAtStart) {
    this.directory = directory;
    this.ledger = ledger;
    eventsLost.addAndGet(foundAtStart);
  }

  /** Records that read back damaged although they were durable: counted once and logged as loss. */
  void lost(LostRecords range, long acknowledgedSeq) {
    long uncounted = ledger.uncounted(range);
    if (uncounted == 0) {
      log.warn(
          "audit spool {}: {} audit events (sequence {} to {}) read back damaged or unreadable;"
              + " they were reported LOST and counted before, and are skipped",
          directory,
          range.count(),
          range.first(),
          range.last());
      return;
    }
    ledger.counted(range, acknowledgedSeq);
    eventsLost.addAndGet(uncounted);
    log.error(
        "audit spool {}: {} durable audit events (sequence {} to {}) read back damaged or unreadable"
            + " and are LOST; delivery continues after them; counted in audit_events_lost_total",
        directory,
        range.count(),
        range.first(),
        range.last());
  }

  /**
   * Sequence numbers reserved for the unreadable end of a segment an earlier run was writing,
   * passed: unused if those bytes read, else an unknown number of them were records, lost but not
   * counted.
   */
  void vacant(LostRecords numbers, boolean unreadable) {
    if (unreadable) {
      log.error(
          "audit spool {}: the unreadable end of a segment the previous run was writing kept"
              + " failing; up to {} undelivered audit events there (sequence {} to {}) are LOST;"
              + " how many is unknown, so they are not counted in audit_events_lost_total",
          directory,
          numbers.count(),
          numbers.first(),
          numbers.last());
    } else {
      log.info(
          "audit spool {}: sequence numbers {} to {}, reserved for bytes that could not be read at"
              + " start, held no records",
          directory,
          numbers.first(),
          numbers.last());
    }
  }

  long eventsLost() {
    return eventsLost.get();
  }
}
