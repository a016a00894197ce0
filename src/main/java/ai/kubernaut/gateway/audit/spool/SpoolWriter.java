package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing side of a spool: appends records to the newest segment and forces them to disk, the
 * first waiter forcing for everyone who appended before (group commit), and seals a segment once it
 * holds {@code segmentBytes}. After a failed write or force nothing counts as durable any more.
 * Shares the spool's lock and condition; methods named {@code ...Locked} expect the lock held.
 */
final class SpoolWriter {

  // under the spool's name, which log configurations already know
  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  private final Path directory;
  private final SpoolFiles files;
  private final Clock clock;
  private final long segmentBytes;
  private final SegmentTable segments;
  private final ReentrantLock lock;
  private final Condition changed;
  private final AtomicLong forces = new AtomicLong();

  private SpoolFile activeChannel;
  private long writtenSeq;
  private long durableSeq;
  private boolean syncing;
  private boolean closed;
  private IOException failure;

  /** Starts a new segment after {@code lastSeq}, the last record an earlier run left. */
  SpoolWriter(
      Path directory,
      SpoolFiles files,
      Clock clock,
      long segmentBytes,
      SegmentTable segments,
      ReentrantLock lock,
      Condition changed,
      long lastSeq)
      throws IOException {
    this.directory = directory;
    this.files = files;
    this.clock = clock;
    this.segmentBytes = segmentBytes;
    this.segments = segments;
    this.lock = lock;
    this.changed = changed;
    this.writtenSeq = lastSeq;
    this.durableSeq = lastSeq;
    openSegment(lastSeq + 1);
  }

  /** See {@link Spool#append}. */
  long append(List<byte[]> payloads) throws IOException {
    int size = 0;
    for (byte[] payload : payloads) {
      if (payload.length > RecordFormat.MAX_PAYLOAD_BYTES) {
        throw new IllegalArgumentException("spool record over " + RecordFormat.MAX_PAYLOAD_BYTES);
      }
      size += RecordFormat.size(payload);
    }
    lock.lock();
    try {
      Segment active = segments.active();
      while (active.size > 0 && active.size + size > segmentBytes) {
        checkUsable();
        if (syncing) {
          changed.awaitUninterruptibly();
        } else {
          roll();
        }
        active = segments.active();
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
      segments.grew(size);
      writtenSeq = seq;
      return seq;
    } finally {
      lock.unlock();
    }
  }

  /** See {@link Spool#awaitDurable}. */
  void awaitDurable(long seq) throws IOException {
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
        Segment segment = segments.active();
        long targetEnd = segment.size;
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
   * Seals the active segment once everything is delivered, if it is a quarter full or the spool is
   * full, so that its bytes can be deleted.
   */
  void sealDrainedLocked(long spoolBytes, long maxBytes) throws IOException {
    Segment active = segments.active();
    if (failure == null
        && !closed
        && active.size > 0
        && (active.size * 4 >= segmentBytes || spoolBytes >= maxBytes)) {
      while (syncing) {
        changed.awaitUninterruptibly();
      }
      if (failure == null && !closed) {
        roll();
      }
    }
  }

  /**
   * Seals the active segment (forced, so everything written is durable) and starts a new one. Never
   * after a failure: the force would report success for pages a failed one dropped.
   */
  private void roll() throws IOException {
    checkUsable();
    try {
      Segment active = segments.active();
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
    segments.open(new Segment(firstSeq, file, 0, 0, firstSeq - 1));
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("audit spool is closed");
    }
    if (failure != null) {
      throw new IOException("audit spool failed earlier", failure);
    }
  }

  long durableSeqLocked() {
    return durableSeq;
  }

  boolean closedLocked() {
    return closed;
  }

  Optional<String> failureLocked() {
    return Optional.ofNullable(failure).map(e -> "audit spool disk error: " + e);
  }

  long forces() {
    return forces.get();
  }

  /** Waits for a force under way, then closes the active file; false when it was closed before. */
  boolean closeLocked() throws IOException {
    while (syncing) {
      changed.awaitUninterruptibly();
    }
    if (closed) {
      return false;
    }
    closed = true;
    changed.signalAll();
    activeChannel.close();
    return true;
  }
}
