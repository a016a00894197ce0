package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable FIFO of records on local disk. Writers {@link #append} and then {@link #awaitDurable};
 * whoever waits first forces the file for everyone who appended before, so concurrent writers share
 * one fsync (group commit). One reader {@link #peek}s the oldest unacknowledged records and {@link
 * #acknowledge}s them once delivered; segments wholly below the acknowledgement are deleted.
 *
 * <p>Crash safety: a record is durable once {@code awaitDurable} returned for it. On open, the last
 * segment is read back up to its first record that is cut short or fails its checksum; the rest of
 * it (a write a crash interrupted, never reported durable) is skipped and appending continues in a
 * new segment. A damaged record anywhere else was durable, so it is counted and logged as lost
 * ({@link #eventsLost}) and reading resumes at the next intact record. Bytes the device cannot read
 * (an I/O error) are not damage at first: {@link #peek} throws {@link SpoolReadException} and the
 * reader retries; only bytes that keep failing for {@link ReadFailures#LOSS_AFTER} are skipped as
 * damaged, and a segment with such bytes is renamed {@code .unreadable} instead of deleted once
 * delivery passes it. At start-up a segment with unreadable bytes is kept whole for delivery to
 * read again (see {@link Segment#scan}); a crash never causes an I/O error, so its unreadable end
 * is no tear. Counted ranges are kept on disk ({@link LostLedger}), so a restart that finds them
 * again does not count them again. The acknowledgement watermark is replaced atomically, so after a
 * crash at most the records delivered since the last acknowledgement are delivered again.
 *
 * <p>Disk errors: after a failed write or force nothing counts as durable any more, not even what a
 * later force reports done (Linux reports a write-back error to one fsync only and may have dropped
 * the pages), until the spool is opened again. All file I/O goes through {@link SpoolFiles}, whose
 * production implementation an interrupted thread cannot close.
 *
 * <p>The parts: {@link SpoolWriter} appends and forces, {@link SpoolReader} reads, {@link
 * SegmentTable} keeps the segment files, {@link LostRanges} and {@link LossAccounting} keep and
 * count what was lost; this class recovers, acknowledges and answers for the whole, all under one
 * lock.
 *
 * <p>Size: {@link #full()} turns true once the segment files hold {@code maxBytes}; appends still
 * succeed (the caller decides whether to refuse new work), so nothing already accepted is lost.
 */
public final class Spool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);
  private static final long MAX_SEGMENT_BYTES = 64L * 1024 * 1024;

  private final Path directory;
  private final long maxBytes;
  private final DirectoryLock directoryLock;
  private final ReentrantLock lock = new ReentrantLock();
  private final SegmentTable segments = new SegmentTable();
  private final SpoolWriter writer;
  private final SpoolConsumer consumer;
  private final long tornBytesSkipped;
  private volatile LongSupplier alsoCounted = () -> 0;

  private Spool(Path directory, long maxBytes, Clock clock, SpoolFiles files) throws IOException {
    this.directory = directory;
    this.maxBytes = maxBytes;
    ReadFailures readFailures = new ReadFailures(clock);
    createDurably(directory, files);
    this.directoryLock = DirectoryLock.acquire(directory);
    LostLedger ledger = LostLedger.open(directory, files);
    AckFile acknowledgements = null;
    try {
      acknowledgements = new AckFile(directory, files);
      SpoolRecovery.Result found =
          SpoolRecovery.recover(directory, acknowledgements, files, ledger, readFailures);
      segments.recovered(found.segments());
      this.tornBytesSkipped = found.tornBytes();
      Condition changed = lock.newCondition();
      long segmentBytes = Math.max(1, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8));
      this.writer =
          new SpoolWriter(
              directory, files, clock, segmentBytes, segments, lock, changed, found.lastSeq());
      this.consumer =
          new SpoolConsumer(
              directory,
              files,
              readFailures,
              acknowledgements,
              ledger,
              found,
              segments,
              writer,
              lock,
              changed,
              maxBytes);
    } catch (IOException | RuntimeException e) {
      if (acknowledgements != null) {
        acknowledgements.close();
      }
      directoryLock.close();
      throw e;
    }
    if (consumer.pending() > 0) {
      log.info(
          "audit spool {} holds {} undelivered events from an earlier run",
          directory,
          consumer.pending());
    }
  }

  /**
   * Opens (or creates) the spool in {@code directory}, recovering what an earlier run left.
   *
   * @param maxBytes the size at which {@link #full()} turns true
   */
  public static Spool open(Path directory, long maxBytes, Clock clock) throws IOException {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    return open(directory, maxBytes, clock, DiskFiles.INSTANCE);
  }

  /** Opens the spool doing its file I/O through {@code files}. */
  public static Spool open(Path directory, long maxBytes, Clock clock, SpoolFiles files)
      throws IOException {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    return new Spool(directory, maxBytes, clock, files);
  }

  /** Creates the missing directories on the way to {@code directory}, each entry forced to disk. */
  private static void createDurably(Path directory, SpoolFiles files) throws IOException {
    Path absolute = directory.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path missing = absolute;
    while (missing.getParent() != null && !Files.isDirectory(missing.getParent())) {
      missing = missing.getParent();
    }
    Files.createDirectories(absolute);
    for (Path created = missing; created != null; created = next(created, absolute)) {
      files.forceDirectory(created.getParent());
    }
  }

  private static Path next(Path created, Path target) {
    return created.equals(target) ? null : created.resolve(target.getName(created.getNameCount()));
  }

  /**
   * Appends {@code payloads} as consecutive records and returns the sequence number of the last.
   * They are not durable until {@link #awaitDurable} returns for that number.
   */
  public long append(List<byte[]> payloads) throws IOException {
    return writer.append(payloads);
  }

  /**
   * Returns once every record up to {@code seq} is on disk. The first waiter forces the file for
   * all records written so far; waiters arriving meanwhile wait for it and, if their records came
   * later, share the next force.
   */
  public void awaitDurable(long seq) throws IOException {
    writer.awaitDurable(seq);
  }

  /**
   * The oldest durable records not yet acknowledged, at most {@code maxRecords} and, beyond the
   * first, at most {@code maxBytes} of payload. Does not consume them. Only one thread may read.
   */
  public List<SpoolRecord> peek(int maxRecords, long maxBytes) throws IOException {
    return consumer.peek(maxRecords, maxBytes);
  }

  /**
   * Marks every record up to {@code seq} (the last of a {@link #peek}ed list, or of a prefix of it)
   * as delivered, and deletes the segments that hold nothing undelivered any more; one with bytes
   * skipped as unreadable is renamed {@code <name>.unreadable} instead, for inspection.
   */
  public void acknowledge(long seq) throws IOException {
    consumer.acknowledge(seq);
  }

  /**
   * Waits until at least {@code count} durable records are undelivered, the spool closes, or {@code
   * timeout} passes; returns the number undelivered.
   */
  public long awaitPending(long count, Duration timeout) throws InterruptedException {
    return consumer.awaitPending(count, timeout);
  }

  /**
   * Waits until every durable record is acknowledged, the spool closes, or {@code timeout} passes;
   * returns the number still undelivered.
   */
  public long awaitDelivered(Duration timeout) throws InterruptedException {
    return consumer.awaitDelivered(timeout);
  }

  /** Durable records not yet acknowledged. */
  public long pending() {
    return consumer.pending();
  }

  /** When the oldest undelivered record was appended; empty when everything is delivered. */
  public Optional<Instant> oldestPending() {
    return consumer.oldestPending();
  }

  /** Bytes in the spool's segment files. */
  public long bytes() {
    lock.lock();
    try {
      return segments.bytes();
    } finally {
      lock.unlock();
    }
  }

  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Makes {@link #full()} count {@code bytes} too: a file next to the segments on the same volume,
   * such as the dead-letter file.
   */
  public void countTowardsFull(LongSupplier bytes) {
    alsoCounted = bytes;
  }

  /** Bytes counted towards {@link #maxBytes}: the segment files and what else is counted. */
  public long usedBytes() {
    return bytes() + alsoCounted.getAsLong();
  }

  /** True once the spool (with what else counts towards it) holds {@code maxBytes} or more. */
  public boolean full() {
    return usedBytes() >= maxBytes;
  }

  /** Why the spool cannot take records any more (a disk error), if it cannot. */
  public Optional<String> failure() {
    lock.lock();
    try {
      return writer.failureLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * What the reader cannot read at the moment and is retrying, if anything: delivery is held up
   * behind it until the bytes read again or are declared lost.
   */
  public Optional<String> readProblem() {
    return consumer.readProblem();
  }

  /** How many times the spool forced its file to disk. */
  public long forces() {
    return writer.forces();
  }

  /**
   * Durable records found damaged or unreadable since the spool was opened, so never delivered; a
   * range an earlier start already counted is not counted again.
   */
  public long eventsLost() {
    return consumer.eventsLost();
  }

  /** Bytes of interrupted writes skipped when the spool was opened. */
  public long tornBytesSkipped() {
    return tornBytesSkipped;
  }

  public Path directory() {
    return directory;
  }

  /** Closes the files; records appended and awaited before are on disk. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (writer.closeLocked()) {
        consumer.close();
        directoryLock.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
