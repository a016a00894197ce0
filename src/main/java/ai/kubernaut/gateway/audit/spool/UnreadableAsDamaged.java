package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment opened for reading that tells a failing device from damage. A read that fails with an
 * I/O error is tried again at once, one sector at a time. A sector that still fails is not loss
 * yet: the read throws {@link SpoolReadException}, so the caller retries later, until {@link
 * ReadFailures} declares the sector unreadable; from then on it reads as zeros, which no record's
 * checksum accepts, so the records there are skipped as damaged. {@link #substitutedZeros()} tells
 * whether that happened. At start-up ({@code zerosAtOnce}), where nothing may wait, every failing
 * sector reads as zeros at once, and the caller keeps whatever it finds there instead of taking it
 * for loss. A closed file is no device error and is passed on as it is.
 */
final class UnreadableAsDamaged implements SpoolFile {

  private static final Logger log = LoggerFactory.getLogger(UnreadableAsDamaged.class);
  static final int SECTOR = 512;

  private final SpoolFile file;
  private final Path path;
  private final ReadFailures failures;
  private final boolean zerosAtOnce;
  private final Set<Long> reported = new HashSet<>();
  private boolean substitutedZeros;

  UnreadableAsDamaged(SpoolFile file, Path path, ReadFailures failures, boolean zerosAtOnce) {
    this.file = file;
    this.path = path;
    this.failures = failures;
    this.zerosAtOnce = zerosAtOnce;
  }

  /** Whether any bytes read so far were unreadable and read as zeros. */
  boolean substitutedZeros() {
    return substitutedZeros;
  }

  @Override
  public int read(ByteBuffer buffer, long position) throws IOException {
    int n;
    try {
      n = file.read(buffer, position);
    } catch (IOException e) {
      if (notFromTheDevice(e)) {
        throw e;
      }
      return readBySector(buffer, position);
    }
    if (n > 0 && failures.any()) {
      failures.succeeded(path, position, position + n);
    }
    return n;
  }

  /** A file closed under the reader: nothing about the bytes on disk. */
  private static boolean notFromTheDevice(IOException e) {
    return e instanceof ClosedChannelException || "Stream Closed".equals(e.getMessage());
  }

  private int readBySector(ByteBuffer buffer, long position) throws IOException {
    long size = file.size();
    if (position >= size) {
      return -1;
    }
    int start = buffer.position();
    int wanted = (int) Math.min(buffer.remaining(), size - position);
    long at = position;
    long zerosFrom = -1;
    IOException retry = null;
    while (at < position + wanted) {
      long sectorEnd = (at / SECTOR + 1) * SECTOR;
      byte[] piece = new byte[(int) (Math.min(sectorEnd, position + wanted) - at)];
      try {
        ByteBuffer into = ByteBuffer.wrap(piece);
        while (into.hasRemaining() && file.read(into, at + into.position()) > 0) {
          // a short read continues from where it stopped
        }
        failures.succeeded(path, at, at + piece.length);
        zerosFrom = zeroed(zerosFrom, at);
      } catch (IOException e) {
        if (notFromTheDevice(e)) {
          throw e;
        }
        if (zerosAtOnce || failures.failed(path, at - at % SECTOR, e)) {
          substitutedZeros = true;
          zerosFrom = zerosFrom < 0 ? at : zerosFrom;
        } else {
          retry = retry == null ? e : retry;
          zerosFrom = zeroed(zerosFrom, at);
        }
      }
      buffer.put(piece);
      at += piece.length;
    }
    zeroed(zerosFrom, at);
    if (retry != null) {
      buffer.position(start);
      throw new SpoolReadException(
          "audit spool segment " + path.getFileName() + " cannot be read just now", retry);
    }
    return wanted;
  }

  /** Logs a range read as zeros, once per range start; returns that no range is open now. */
  private long zeroed(long from, long to) {
    if (from >= 0 && reported.add(from)) {
      log.error(
          "audit spool segment {}: bytes {} to {} cannot be read; {}",
          path.getFileName(),
          from,
          to,
          zerosAtOnce
              ? "the segment is kept and read again by delivery"
              : "they kept failing, so the records there are skipped as damaged");
    }
    return -1;
  }

  @Override
  public void write(ByteBuffer buffer, long position) throws IOException {
    file.write(buffer, position);
  }

  @Override
  public void force() throws IOException {
    file.force();
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
