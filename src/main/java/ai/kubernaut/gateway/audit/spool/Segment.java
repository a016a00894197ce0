package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of the spool, named after the sequence number of its first record. Mutable state
 * is guarded by the spool's lock.
 */
final class Segment {

  private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.log");

  final long firstSeq;
  final Path path;

  /** Bytes in the file. */
  long size;

  /**
   * Bytes readers may read: the intact prefix of a sealed segment, the forced part of the active
   * one.
   */
  long readableEnd;

  /** The sequence number of the last record before {@link #readableEnd}. */
  long readableLastSeq;

  /** The sequence number of the last intact record; {@code firstSeq - 1} when there is none. */
  long lastSeq;

  /**
   * Where the sequence numbers of this segment are only reserved, not known to be used: the numbers
   * kept for the unreadable end of a segment an earlier run was writing. {@code Long.MAX_VALUE}
   * when every number up to {@link #lastSeq} was used.
   */
  long reservedFrom = Long.MAX_VALUE;

  Segment(long firstSeq, Path path, long size, long readableEnd, long lastSeq) {
    this.firstSeq = firstSeq;
    this.path = path;
    this.size = size;
    this.readableEnd = readableEnd;
    this.readableLastSeq = lastSeq;
    this.lastSeq = lastSeq;
  }

  static Path pathFor(Path directory, long firstSeq) {
    return directory.resolve(String.format("segment-%020d.log", firstSeq));
  }

  static OptionalLong firstSeqOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  boolean hasRecords() {
    return lastSeq >= firstSeq;
  }

  /**
   * What a start-up scan found in a segment left by an earlier run.
   *
   * @param tornBytes bytes after the last intact record of the last segment: a write a crash cut
   *     short, never reported durable
   * @param lost records of a segment that was complete (a later one exists) that failed their
   *     checksum, so were lost although they had been durable
   * @param unreadable whether some bytes could not be read (an I/O error): then nothing is taken
   *     for loss or a tear, the segment is kept whole for delivery to read again
   */
  record Scan(
      Segment segment,
      long tornBytes,
      Optional<Long> firstUnacknowledgedOffset,
      List<LostRecords> lost,
      boolean unreadable) {}

  /**
   * Reads every record of an existing segment. A record that is cut short, fails its checksum or
   * breaks the sequence is followed by a search for the next intact record: if one exists, the
   * records in between were lost to the disk and are reported (in the last segment they may also be
   * records a crash left unconfirmed, which cannot be told apart); if none exists in the last
   * segment ({@code nextFirstSeq} empty), the rest is a write a crash cut short. A segment with a
   * later one after it was forced in full, so a damaged end there is loss too.
   *
   * <p>Bytes the device cannot read are none of these: a crash never causes an I/O error, and the
   * error may pass. Such a segment is kept whole, readable to its end, with the sequence numbers up
   * to the next segment's (or, in the last segment, as many as its unreadable end could hold,
   * reserved) for delivery to read, retry and, if the bytes keep failing, report lost.
   */
  static Scan scan(
      SpoolFiles files,
      Path file,
      long firstSeq,
      long acknowledged,
      OptionalLong nextFirstSeq,
      ReadFailures failures)
      throws IOException {
    try (UnreadableAsDamaged channel =
        new UnreadableAsDamaged(files.openForReading(file), file, failures, true)) {
      long fileSize = channel.size();
      long offset = 0;
      long expected = firstSeq;
      long lastIntact = firstSeq - 1;
      long end = 0;
      Long firstUnacknowledged = null;
      List<LostRecords> lost = new ArrayList<>();
      while (true) {
        RecordFormat.Read read = RecordFormat.read(channel, offset, fileSize);
        if (read == null || read.record().seq() != expected) {
          boolean last = nextFirstSeq.isEmpty();
          long maxSeq = last ? Long.MAX_VALUE : nextFirstSeq.getAsLong() - 1;
          read = RecordFormat.resync(channel, offset + 1, fileSize, expected, maxSeq);
          if (read == null) {
            if (!last) {
              LostRecords.between(expected, maxSeq, acknowledged).ifPresent(lost::add);
            }
            break; // in the last segment: nothing intact follows, a write a crash cut short
          }
          LostRecords.between(expected, read.record().seq() - 1, acknowledged).ifPresent(lost::add);
          offset = read.end() - RecordFormat.size(read.record().payload());
          expected = read.record().seq();
        }
        if (firstUnacknowledged == null && expected > acknowledged) {
          firstUnacknowledged = offset;
        }
        offset = read.end();
        end = offset;
        lastIntact = expected;
        expected++;
      }
      if (channel.substitutedZeros()) {
        return keptForRetry(file, firstSeq, nextFirstSeq, fileSize, end, lastIntact);
      }
      Segment segment = new Segment(firstSeq, file, fileSize, end, lastIntact);
      long torn = nextFirstSeq.isEmpty() ? fileSize - end : 0;
      return new Scan(segment, torn, Optional.ofNullable(firstUnacknowledged), lost, false);
    }
  }

  private static Scan keptForRetry(
      Path file,
      long firstSeq,
      OptionalLong nextFirstSeq,
      long fileSize,
      long endOfLastIntact,
      long lastIntact) {
    long lastSeq;
    long reservedFrom = Long.MAX_VALUE;
    if (nextFirstSeq.isPresent()) {
      lastSeq = nextFirstSeq.getAsLong() - 1;
    } else {
      // every record takes at least a header, so the unreadable end holds no more than this
      long room =
          (fileSize - endOfLastIntact + RecordFormat.HEADER_BYTES - 1) / RecordFormat.HEADER_BYTES;
      lastSeq = Math.max(firstSeq, lastIntact + room);
      reservedFrom = lastIntact + 1;
    }
    Segment segment = new Segment(firstSeq, file, fileSize, fileSize, lastSeq);
    segment.reservedFrom = reservedFrom;
    return new Scan(segment, 0, Optional.of(0L), List.of(), true);
  }
}
