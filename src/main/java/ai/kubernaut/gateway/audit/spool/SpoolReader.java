package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The spool's single reader: reads the records after a position, only as far as they are durable,
 * and remembers where each record it handed out ends so it can be acknowledged. A record that reads
 * back damaged although it was forced (bit rot, or pages the kernel dropped after a write-back
 * error), or whose bytes keep failing to read (a bad sector, see {@link ReadFailures}), is reported
 * lost and skipped, so one bad record cannot stall delivery for good. A read error that has not yet
 * failed for long enough ends the batch before it, or, when it is first, throws {@link
 * SpoolReadException}: nothing is skipped, delivery tries again later.
 */
final class SpoolReader implements AutoCloseable {

  /**
   * What the reader may see of one segment at a moment.
   *
   * @param segment the segment
   * @param end how far it may read
   * @param lastSeq the sequence number of the last record before {@code end}
   * @param sealed whether the segment will get no more records
   * @param next the segment after it, if any
   */
  record Slice(Segment segment, long end, long lastSeq, boolean sealed, OptionalLong next) {}

  /** Gives the reader a consistent view of a segment. */
  @FunctionalInterface
  interface Slices {
    Slice of(long segment);
  }

  private final Slices slices;
  private final SpoolFiles files;
  private final Consumer<LostRecords> lost;
  private final Vacant vacant;
  private final LongConsumer damaged;
  private final ReadFailures failures;
  private final Map<Long, Position> peekedEnds = new TreeMap<>();
  private UnreadableAsDamaged channel;
  private long channelSegment = -1;

  /** Sequence numbers reserved for a segment's unreadable end and not found there. */
  @FunctionalInterface
  interface Vacant {
    /**
     * @param unreadable whether the bytes that might have held them were declared unreadable (then
     *     an unknown number of them were records, lost)
     */
    void skipped(LostRecords numbers, boolean unreadable);
  }

  /**
   * @param lost told of records lost for good
   * @param vacant told of reserved numbers passed
   * @param damaged told of a segment some of whose bytes were declared unreadable and skipped
   */
  SpoolReader(
      Slices slices,
      SpoolFiles files,
      ReadFailures failures,
      Consumer<LostRecords> lost,
      Vacant vacant,
      LongConsumer damaged) {
    this.slices = slices;
    this.files = files;
    this.failures = failures;
    this.lost = lost;
    this.vacant = vacant;
    this.damaged = damaged;
  }

  /**
   * Up to {@code maxRecords} records from {@code from} on, and beyond one {@code maxBytes}; the
   * first is expected to be number {@code expectedSeq}.
   */
  List<SpoolRecord> read(Position from, long expectedSeq, int maxRecords, long maxBytes)
      throws IOException {
    List<SpoolRecord> records = new ArrayList<>();
    peekedEnds.clear();
    try {
      readInto(records, from, expectedSeq, maxRecords, maxBytes);
    } catch (SpoolReadException e) {
      if (records.isEmpty()) {
        throw e;
      }
      // the records before the failing bytes go now; the rest is read again next time
    }
    return records;
  }

  private void readInto(
      List<SpoolRecord> records, Position from, long expectedSeq, int maxRecords, long maxBytes)
      throws IOException {
    Position position = from;
    long expected = expectedSeq;
    long bytes = 0;
    while (records.size() < maxRecords) {
      Slice slice = slices.of(position.segment());
      Segment segment = slice.segment();
      if (position.offset() == 0 && expected < segment.firstSeq) {
        // the records between the last one read and this segment were lost at its predecessor's end
        lost.accept(new LostRecords(expected, segment.firstSeq - 1));
        expected = segment.firstSeq;
      }
      if (position.offset() >= slice.end()) {
        if (!slice.sealed() || slice.next().isEmpty()) {
          break;
        }
        long next = slice.next().getAsLong();
        if (expected >= segment.reservedFrom && expected < next) {
          boolean unreadable = channelSegment == segment.firstSeq && channel.substitutedZeros();
          vacant.skipped(new LostRecords(expected, next - 1), unreadable);
          expected = next;
        }
        position = new Position(next, 0);
        continue;
      }
      UnreadableAsDamaged file = channel(segment);
      RecordFormat.Read read = RecordFormat.read(file, position.offset(), slice.end());
      long maxSeq = slice.sealed() ? slice.next().orElse(Long.MAX_VALUE) - 1 : slice.lastSeq();
      if (read != null && read.record().seq() > expected && read.record().seq() <= maxSeq) {
        // an intact record where one was expected: the ones in between were lost before it (the
        // start-up scan found them), so reading starts right here
        lost.accept(new LostRecords(expected, read.record().seq() - 1));
      } else if (read == null || read.record().seq() != expected) {
        read = RecordFormat.resync(file, position.offset() + 1, slice.end(), expected, maxSeq);
        if (file.substitutedZeros()) {
          damaged.accept(segment.firstSeq);
        }
        long resumeAt = read == null ? maxSeq + 1 : read.record().seq();
        long reserved = Math.max(expected, read == null ? segment.reservedFrom : Long.MAX_VALUE);
        if (Math.min(resumeAt, reserved) > expected) {
          lost.accept(new LostRecords(expected, Math.min(resumeAt, reserved) - 1));
        }
        if (resumeAt > reserved) {
          vacant.skipped(new LostRecords(reserved, resumeAt - 1), file.substitutedZeros());
        }
        if (read == null) {
          position = new Position(segment.firstSeq, slice.end());
          expected = resumeAt;
          continue;
        }
      }
      if (file.substitutedZeros()) {
        damaged.accept(segment.firstSeq);
      }
      if (!records.isEmpty() && bytes + read.record().payload().length > maxBytes) {
        break;
      }
      position = new Position(segment.firstSeq, read.end());
      records.add(read.record());
      peekedEnds.put(read.record().seq(), position);
      bytes += read.record().payload().length;
      expected = read.record().seq() + 1;
    }
  }

  /** Where the record {@code seq}, handed out by the last {@link #read}, ends. */
  Position endOf(long seq) {
    Position end = peekedEnds.get(seq);
    if (end == null) {
      throw new IllegalArgumentException("record " + seq + " was not read");
    }
    return end;
  }

  /** Forgets the records up to {@code seq}. */
  void acknowledged(long seq) {
    peekedEnds.keySet().removeIf(s -> s <= seq);
  }

  /** Stops reading a segment about to be deleted. */
  void forget(long segment) throws IOException {
    if (channelSegment == segment) {
      close();
    }
  }

  private UnreadableAsDamaged channel(Segment segment) throws IOException {
    if (channelSegment != segment.firstSeq) {
      close();
      channel =
          new UnreadableAsDamaged(
              files.openForReading(segment.path), segment.path, failures, false);
      channelSegment = segment.firstSeq;
    }
    return channel;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
      channelSegment = -1;
    }
  }
}
