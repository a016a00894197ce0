package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Size: {@link #full()} turns true once the segment files hold {@code maxBytes}; appends still
 * succeed (the caller decides whether to refuse new work), so nothing already accepted is lost.
 */
public final class Spool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);
  private static final long MAX_SEGMENT_BYTES = 64L * 1024 * 1024;

  private final Path directory;
  private final SpoolFiles files;
  private final long maxBytes;
  private final long segmentBytes;
  private final Clock clock;
  private final DirectoryLock directoryLock;
  private final AckFile ackFile;
  private final LostLedger ledger;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final AtomicLong forces = new AtomicLong();
  private final long tornBytesSkipped;
  private final TreeMap<Long, LostRecords> lost = new TreeMap<>();
  private final ReadFailures readFailures;
  private final Set<Long> damaged = new HashSet<>();
  private final AtomicLong eventsLost = new AtomicLong();
  private volatile LongSupplier alsoCounted = () -> 0;

  private Segment active;
  private SpoolFile activeChannel;
  private long writtenSeq;
  private long durableSeq;
  private long acknowledgedSeq;
  private long totalBytes;
  private boolean syncing;
  private boolean closed;
  private IOException failure;
  private Position cursor;

  private final SpoolReader reader;

  private Spool(Path directory, long maxBytes, Clock clock, SpoolFiles files) throws IOException {
    this.directory = directory;
    this.files = files;
    this.maxBytes = maxBytes;
    this.segmentBytes = Math.max(1, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8));
    this.clock = clock;
    this.readFailures = new ReadFailures(clock);
    this.reader =
        new SpoolReader(this::slice, files, readFailures, this::lost, this::vacant, this::damaged);
    createDurably(directory, files);
    this.directoryLock = DirectoryLock.acquire(directory);
    this.ledger = LostLedger.open(directory, files);
    AckFile acknowledgements = null;
    try {
      acknowledgements = new AckFile(directory, files);
      this.ackFile = acknowledgements;
      this.tornBytesSkipped = recover();
    } catch (IOException | RuntimeException e) {
      if (acknowledgements != null) {
        acknowledgements.close();
      }
      directoryLock.close();
      throw e;
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

  private long recover() throws IOException {
    SpoolRecovery.Result found =
        SpoolRecovery.recover(directory, ackFile, files, ledger, readFailures);
    segments.putAll(found.segments());
    found.lost().forEach(range -> lost.put(range.first(), range));
    eventsLost.addAndGet(found.newlyLost());
    acknowledgedSeq = found.acknowledgedSeq();
    writtenSeq = found.lastSeq();
    durableSeq = found.lastSeq();
    totalBytes = segments.values().stream().mapToLong(seg -> seg.size).sum();
    openSegment(found.lastSeq() + 1);
    cursor = found.cursor().orElse(new Position(active.firstSeq, 0));
    if (pendingLocked() > 0) {
      log.info(
          "audit spool {} holds {} undelivered events from an earlier run",
          directory,
          pendingLocked());
    }
    return found.tornBytes();
  }

  /**
   * Appends {@code payloads} as consecutive records and returns the sequence number of the last.
   * They are not durable until {@link #awaitDurable} returns for that number.
   */
  public long append(List<byte[]> payloads) throws IOException {
    int size = 0;
    for (byte[] payload : payloads) {
      if (payload.length > RecordFormat.MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException("spool record over " + RecordFormat.MAX_PAYLOAD_BYTES);
      }
      size += RecordFormat.size(payload);
    }
    lock.lock();
    try {
      while (active.size > 0 && active.size + size > segmentBytes) {
        checkUsable();
        if (syncing) {
          changed.awaitUninterruptibly();
        } else {
          roll();
        }
      }
      checkUsable();
      ByteBuffer buffer = ByteBuffer.allocate(size);
      long now = clock.millis();
      long seq = writtenSeq;
      for (byte[] payload : payloads) {
        RecordFormat.encode(buffer, ++seq, now, payload);
      }
      buffer.flip();
      try {
        activeChannel.write(buffer, active.size);
      } catch (IOException e) {
        failed(e);
        throw e;
      }
      active.size += size;
      active.lastSeq = seq;
      totalBytes += size;
      writtenSeq = seq;
      return seq;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns once every record up to {@code seq} is on disk. The first waiter forces the file for
   * all records written so far; waiters arriving meanwhile wait for it and, if their records came
   * later, share the next force.
   */
  public void awaitDurable(long seq) throws IOException {
    lock.lock();
    try {
      while (true) {
        // a failure first: what a force reports after a failed one proves nothing
        checkUsable();
        if (durableSeq >= seq) {
          return;
        }
        if (syncing) {
          changed.awaitUninterruptibly();
          continue;
        }
        syncing = true;
        long target = writtenSeq;
        long targetEnd = active.size;
        Segment segment = active;
        SpoolFile channel = activeChannel;
        lock.unlock();
        IOException error = null;
        try {
          channel.force();
        } catch (IOException e) {
          error = e;
        }
        lock.lock();
        syncing = false;
        if (error != null) {
          failed(error);
          throw error;
        }
        forces.incrementAndGet();
        if (failure == null) {
          segment.readableEnd = Math.max(segment.readableEnd, targetEnd);
          segment.readableLastSeq = Math.max(segment.readableLastSeq, target);
          durableSeq = Math.max(durableSeq, target);
        }
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Seals the active segment (forced, so everything written is durable) and starts a new one. Never
   * after a failure: the force would report success for pages a failed one dropped.
   */
  private void roll() throws IOException {
    checkUsable();
    try {
      activeChannel.force();
      forces.incrementAndGet();
      activeChannel.close();
      active.readableEnd = active.size;
      active.readableLastSeq = writtenSeq;
      durableSeq = writtenSeq;
      openSegment(writtenSeq + 1);
    } catch (IOException e) {
      failed(e);
      throw e;
    } finally {
      changed.signalAll();
    }
  }

  private void failed(IOException error) {
    if (failure == null) {
      failure = error;
      log.error(
          "audit spool {} hit a disk error; it takes no more events until the gateway restarts",
          directory,
          error);
    }
    changed.signalAll();
  }

  private void openSegment(long firstSeq) throws IOException {
    Path file = Segment.pathFor(directory, firstSeq);
    activeChannel = files.create(file);
    files.forceDirectory(directory);
    active = new Segment(firstSeq, file, 0, 0, firstSeq - 1);
    segments.put(firstSeq, active);
  }

  /**
   * The oldest durable records not yet acknowledged, at most {@code maxRecords} and, beyond the
   * first, at most {@code maxBytes} of payload. Does not consume them. Only one thread may read.
   */
  public List<SpoolRecord> peek(int maxRecords, long maxBytes) throws IOException {
    Position from;
    long expected;
    lock.lock();
    try {
      from = normalised(cursor);
      expected = acknowledgedSeq + 1;
    } finally {
      lock.unlock();
    }
    return reader.read(from, expected, maxRecords, maxBytes);
  }

  private SpoolReader.Slice slice(long segment) {
    lock.lock();
    try {
      Segment s = segments.get(segment);
      Long next = segments.higherKey(segment);
      return new SpoolReader.Slice(
          s,
          s.readableEnd,
          s.readableLastSeq,
          s != active,
          next == null ? OptionalLong.empty() : OptionalLong.of(next));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks every record up to {@code seq} (the last of a {@link #peek}ed list, or of a prefix of it)
   * as delivered, and deletes the segments that hold nothing undelivered any more; one with bytes
   * skipped as unreadable is renamed {@code <name>.unreadable} instead, for inspection.
   */
  public void acknowledge(long seq) throws IOException {
    Position next = reader.endOf(seq);
    ackFile.write(seq);
    List<Segment> delivered = new ArrayList<>();
    List<Segment> unreadable = new ArrayList<>();
    lock.lock();
    try {
      acknowledgedSeq = Math.max(acknowledgedSeq, seq);
      lost.values().removeIf(range -> range.last() <= acknowledgedSeq);
      cursor = next;
      reader.acknowledged(seq);
      if (failure == null
          && !closed
          && pendingLocked() == 0
          && active.size > 0
          && (active.size * 4 >= segmentBytes || totalBytes >= maxBytes)) {
        while (syncing) {
          changed.awaitUninterruptibly();
        }
        if (failure == null && !closed) {
          roll();
        }
      }
      cursor = normalised(cursor);
      while (segments.firstKey() < cursor.segment()) {
        Segment gone = segments.pollFirstEntry().getValue();
        totalBytes -= gone.size;
        (damaged.remove(gone.firstSeq) ? unreadable : delivered).add(gone);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Segment segment : delivered) {
      reader.forget(segment.firstSeq);
      Files.deleteIfExists(segment.path);
      readFailures.forget(segment.path);
    }
    for (Segment segment : unreadable) {
      reader.forget(segment.firstSeq);
      Path aside = segment.path.resolveSibling(segment.path.getFileName() + ".unreadable");
      Files.move(segment.path, aside, StandardCopyOption.REPLACE_EXISTING);
      readFailures.forget(segment.path);
      log.warn(
          "audit spool segment {} had bytes that could not be read; delivery has passed it, and it"
              + " is kept as {} for inspection (not counted in the spool's size)",
          segment.path.getFileName(),
          aside.getFileName());
    }
  }

  /** Notes that some bytes of the segment were declared unreadable and skipped. */
  private void damaged(long segment) {
    lock.lock();
    try {
      damaged.add(segment);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sequence numbers reserved for the unreadable end of a segment an earlier run was writing,
   * passed: unused if those bytes read, else an unknown number of them were records, lost but not
   * counted (how many is unknown).
   */
  private void vacant(LostRecords numbers, boolean unreadable) {
    lock.lock();
    try {
      LostRecords known = lost.get(numbers.first());
      if (numbers.last() <= acknowledgedSeq || (known != null && known.last() >= numbers.last())) {
        return;
      }
      lost.put(numbers.first(), numbers);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
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

  /**
   * Records that read back damaged although they were durable: counted once, even across restarts,
   * and logged as loss.
   */
  private void lost(LostRecords range) {
    long acknowledged;
    lock.lock();
    try {
      LostRecords known = lost.get(range.first());
      if (range.last() <= acknowledgedSeq || (known != null && known.last() >= range.last())) {
        return;
      }
      lost.put(range.first(), range);
      acknowledged = acknowledgedSeq;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
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
    ledger.counted(range, acknowledged);
    eventsLost.addAndGet(uncounted);
    log.error(
        "audit spool {}: {} durable audit events (sequence {} to {}) read back damaged or unreadable"
            + " and are LOST; delivery continues after them; counted in audit_events_lost_total",
        directory,
        range.count(),
        range.first(),
        range.last());
  }

  /** Moves a cursor that stands at the end of a sealed segment to the start of the next one. */
  private Position normalised(Position position) {
    Position p = position;
    while (true) {
      Segment segment = segments.get(p.segment());
      Long next = segments.higherKey(p.segment());
      if (segment == active || next == null || p.offset() < segment.readableEnd) {
        return p;
      }
      p = new Position(next, 0);
    }
  }

  /**
   * Waits until at least {@code count} durable records are undelivered, the spool closes, or {@code
   * timeout} passes; returns the number undelivered.
   */
  public long awaitPending(long count, Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long left = timeout.toNanos();
      while (!closed && pendingLocked() < count && left > 0) {
        left = changed.awaitNanos(left);
      }
      return pendingLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every durable record is acknowledged, the spool closes, or {@code timeout} passes;
   * returns the number still undelivered.
   */
  public long awaitDelivered(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long left = timeout.toNanos();
      while (!closed && pendingLocked() > 0 && left > 0) {
        left = changed.awaitNanos(left);
      }
      return pendingLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Durable records not yet acknowledged. */
  public long pending() {
    lock.lock();
    try {
      return pendingLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Durable records after the acknowledgement, less those known to be lost. */
  private long pendingLocked() {
    long gone = 0;
    for (LostRecords range : lost.values()) {
      long from = Math.max(range.first(), acknowledgedSeq + 1);
      gone += Math.max(0, Math.min(range.last(), durableSeq) - from + 1);
    }
    return Math.max(0, durableSeq - acknowledgedSeq - gone);
  }

  /** When the oldest undelivered record was appended; empty when everything is delivered. */
  public Optional<Instant> oldestPending() {
    Path path;
    Position p;
    long end;
    lock.lock();
    try {
      if (pendingLocked() == 0 || closed) {
        return Optional.empty();
      }
      p = normalised(cursor);
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

  /** Bytes in the spool's segment files. */
  public long bytes() {
    lock.lock();
    try {
      return totalBytes;
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
      return Optional.ofNullable(failure).map(e -> "audit spool disk error: " + e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * What the reader cannot read at the moment and is retrying, if anything: delivery is held up
   * behind it until the bytes read again or are declared lost.
   */
  public Optional<String> readProblem() {
    return readFailures.problem();
  }

  /** How many times the spool forced its file to disk. */
  public long forces() {
    return forces.get();
  }

  /**
   * Durable records found damaged or unreadable since the spool was opened, so never delivered; a
   * range an earlier start already counted is not counted again.
   */
  public long eventsLost() {
    return eventsLost.get();
  }

  /** Bytes of interrupted writes skipped when the spool was opened. */
  public long tornBytesSkipped() {
    return tornBytesSkipped;
  }

  public Path directory() {
    return directory;
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("audit spool is closed");
    }
    if (failure != null) {
      throw new IOException("audit spool failed earlier", failure);
    }
  }

  /** Closes the files; records appended and awaited before are on disk. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      while (syncing) {
        changed.awaitUninterruptibly();
      }
      if (closed) {
        return;
      }
      closed = true;
      changed.signalAll();
      activeChannel.close();
      reader.close();
      ackFile.close();
      directoryLock.close();
    } finally {
      lock.unlock();
    }
  }
}
