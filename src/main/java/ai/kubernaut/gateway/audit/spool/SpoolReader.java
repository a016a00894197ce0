package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The spool's single reader: reads the records after a position, only as far as they are durable,
 * and remembers where each record it handed out ends so it can be acknowledged. A record that reads
 * back damaged although it was forced (bit rot, or pages the kernel dropped after a write-back
 * error), or cannot be read at all (a bad sector), is reported lost and skipped, so one bad record
 * cannot stall delivery for good.
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
  private final Map<Long, Position> peekedEnds = new TreeMap<>();
  private SpoolFile channel;
  private long channelSegment = -1;

  SpoolReader(Slices slices, SpoolFiles files, Consumer<LostRecords> lost) {
    this.slices = slices;
    this.files = files;
    this.lost = lost;
  }

  /**
   * Up to {@code maxRecords} records from {@code from} on, and beyond one {@code maxBytes}; the
   * first is expected to be number {@code expectedSeq}.
   */
  List<SpoolRecord> read(Position from, long expectedSeq, int maxRecords, long maxBytes)
      throws IOException {
    List<SpoolRecord> records = new ArrayList<>();
    peekedEnds.clear();
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
        position = new Position(slice.next().getAsLong(), 0);
        continue;
      }
      SpoolFile file = channel(segment);
      RecordFormat.Read read = RecordFormat.read(file, position.offset(), slice.end());
      long maxSeq = slice.sealed() ? slice.next().orElse(Long.MAX_VALUE) - 1 : slice.lastSeq();
      if (read != null && read.record().seq() > expected && read.record().seq() <= maxSeq) {
        // an intact record where one was expected: the ones in between were lost before it (the
        // start-up scan found them), so reading starts right here
        lost.accept(new LostRecords(expected, read.record().seq() - 1));
      } else if (read == null || read.record().seq() != expected) {
        read = RecordFormat.resync(file, position.offset() + 1, slice.end(), expected, maxSeq);
        long resumeAt = read == null ? maxSeq + 1 : read.record().seq();
        if (resumeAt > expected) {
          lost.accept(new LostRecords(expected, resumeAt - 1));
        }
        if (read == null) {
          position = new Position(segment.firstSeq, slice.end());
          expected = resumeAt;
          continue;
        }
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
    return records;
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

  private SpoolFile channel(Segment segment) throws IOException {
    if (channelSegment != segment.firstSeq) {
      close();
      channel = new UnreadableAsDamaged(files.openForReading(segment.path), segment.path);
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
