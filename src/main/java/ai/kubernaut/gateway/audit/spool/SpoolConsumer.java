package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consuming side of a spool: where delivery stands (the cursor and the acknowledgement), the
 * records it peeks and acknowledges, and the losses it passes on the way. Shares the spool's lock
 * and condition.
 */
final class SpoolConsumer implements AutoCloseable {

  private final SpoolFiles files;
  private final ReadFailures readFailures;
  private final AckFile ackFile;
  private final SegmentTable segments;
  private final SpoolWriter writer;
  private final ReentrantLock lock;
  private final Condition changed;
  private final long maxBytes;
  private final LostRanges lost = new LostRanges();
  private final LossAccounting losses;
  private final SpoolReader reader;

  private long acknowledgedSeq;
  private Position cursor;

  /** Continues where {@code found}, the recovery of an earlier run, says delivery stood. */
  SpoolConsumer(
      Path directory,
      SpoolFiles files,
      ReadFailures readFailures,
      AckFile ackFile,
      LostLedger ledger,
      SpoolRecovery.Result found,
      SegmentTable segments,
      SpoolWriter writer,
      ReentrantLock lock,
      Condition changed,
      long maxBytes) {
    this.files = files;
    this.readFailures = readFailures;
    this.ackFile = ackFile;
    this.segments = segments;
    this.writer = writer;
    this.lock = lock;
    this.changed = changed;
    this.maxBytes = maxBytes;
    found.lost().forEach(lost::put);
    this.losses = new LossAccounting(directory, ledger, found.newlyLost());
    this.acknowledgedSeq = found.acknowledgedSeq();
    this.cursor = found.cursor().orElse(new Position(segments.active().firstSeq, 0));
    this.reader =
        new SpoolReader(this::slice, files, readFailures, this::lost, this::vacant, this::damaged);
  }

  /** See {@link Spool#peek}. */
  List<SpoolRecord> peek(int maxRecords, long maxBytes) throws IOException {
    Position from;
    long expected;
    lock.lock();
    try {
      from = segments.normalised(cursor);
      expected = acknowledgedSeq + 1;
    } finally {
      lock.unlock();
    }
    return reader.read(from, expected, maxRecords, maxBytes);
  }

  private SpoolReader.Slice slice(long segment) {
    lock.lock();
    try {
      return segments.slice(segment);
    } finally {
      lock.unlock();
    }
  }

  /** See {@link Spool#acknowledge}. */
  void acknowledge(long seq) throws IOException {
    Position next = reader.endOf(seq);
    ackFile.write(seq);
    PassedSegments passed;
    lock.lock();
    try {
      acknowledgedSeq = Math.max(acknowledgedSeq, seq);
      lost.acknowledged(acknowledgedSeq);
      cursor = next;
      reader.acknowledged(seq);
      if (pendingLocked() == 0) {
        writer.sealDrainedLocked(segments.bytes(), maxBytes);
      }
      cursor = segments.normalised(cursor);
      passed = segments.removeBefore(cursor.segment());
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    passed.remove(reader, readFailures);
  }

  /** Notes that some bytes of the segment were declared unreadable and skipped. */
  private void damaged(long segment) {
    lock.lock();
    try {
      segments.damaged(segment);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Numbers reserved for bytes an earlier run left unreadable, passed (see {@link
   * LossAccounting#vacant}).
   */
  private void vacant(LostRecords numbers, boolean unreadable) {
    lock.lock();
    try {
      if (!lost.add(numbers, acknowledgedSeq)) {
        return;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    losses.vacant(numbers, unreadable);
  }

  /** Durable records that read back damaged, passed (see {@link LossAccounting#lost}). */
  private void lost(LostRecords range) {
    long acknowledged;
    lock.lock();
    try {
      if (!lost.add(range, acknowledgedSeq)) {
        return;
      }
      acknowledged = acknowledgedSeq;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    losses.lost(range, acknowledged);
  }

  /** See {@link Spool#awaitPending}. */
  long awaitPending(long count, Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long left = timeout.toNanos();
      while (!writer.closedLocked() && pendingLocked() < count && left > 0) {
        left = changed.awaitNanos(left);
      }
      return pendingLocked();
    } finally {
      lock.unlock();
    }
  }

  /** See {@link Spool#awaitDelivered}. */
  long awaitDelivered(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long left = timeout.toNanos();
      while (!writer.closedLocked() && pendingLocked() > 0 && left > 0) {
        left = changed.awaitNanos(left);
      }
      return pendingLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Durable records not yet acknowledged. */
  long pending() {
    lock.lock();
    try {
      return pendingLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Durable records after the acknowledgement, less those known to be lost. */
  private long pendingLocked() {
    long durableSeq = writer.durableSeqLocked();
    return Math.max(0, durableSeq - acknowledgedSeq - lost.within(acknowledgedSeq, durableSeq));
  }

  /** When the oldest undelivered record was appended; empty when everything is delivered. */
  Optional<Instant> oldestPending() {
    Path path;
    Position p;
    long end;
    lock.lock();
    try {
      if (pendingLocked() == 0 || writer.closedLocked()) {
        return Optional.empty();
      }
      p = segments.normalised(cursor);
      Segment segment = segments.get(p.segment());
      path = segment.path;
      end = segment.readableEnd;
    } finally {
      lock.unlock();
    }
    // read outside the lock, so a metrics scrape never holds up appenders
    try (SpoolFile file = files.openForReading(path)) {
      RecordFormat.Read read = RecordFormat.read(file, p.offset(), end);
      return read == null ? Optional.empty() : Optional.of(read.record().appendedAt());
    } catch (IOException e) {
      // delivered and deleted meanwhile, or unreadable; the next scrape asks again
      return Optional.empty();
    }
  }

  long eventsLost() {
    return losses.eventsLost();
  }

  Optional<String> readProblem() {
    return readFailures.problem();
  }

  /** Closes the reader's and the acknowledgement's files; the spool's lock is held. */
  @Override
  public void close() throws IOException {
    reader.close();
    ackFile.close();
  }
}
