package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The spool's single reader: reads the records after a position, only as far as they are durable,
 * and remembers where each record it handed out ends so it can be acknowledged.
 */
final class SpoolReader implements AutoCloseable {

  /**
   * What the reader may see of one segment at a moment.
   *
   * @param segment the segment
   * @param end how far it may read
   * @param sealed whether the segment will get no more records
   * @param next the segment after it, if any
   */
  record Slice(Segment segment, long end, boolean sealed, OptionalLong next) {}

  /** Gives the reader a consistent view of a segment. */
  @FunctionalInterface
  interface Slices {
    Slice of(long segment);
  }

  private final Slices slices;
  private final Map<Long, Position> peekedEnds = new TreeMap<>();
  private FileChannel channel;
  private long channelSegment = -1;

  SpoolReader(Slices slices) {
    this.slices = slices;
  }

  /** Up to {@code maxRecords} records from {@code from} on, and beyond one {@code maxBytes}. */
  List<SpoolRecord> read(Position from, int maxRecords, long maxBytes) throws IOException {
    List<SpoolRecord> records = new ArrayList<>();
    peekedEnds.clear();
    Position position = from;
    long bytes = 0;
    while (records.size() < maxRecords) {
      Slice slice = slices.of(position.segment());
      if (position.offset() >= slice.end()) {
        if (!slice.sealed() || slice.next().isEmpty()) {
          break;
        }
        position = new Position(slice.next().getAsLong(), 0);
        continue;
      }
      Segment segment = slice.segment();
      RecordFormat.Read read = RecordFormat.read(channel(segment), position.offset(), slice.end());
      if (read == null) {
        throw new IOException("audit spool segment " + segment.path + " changed under the reader");
      }
      if (!records.isEmpty() && bytes + read.record().payload().length > maxBytes) {
        break;
      }
      position = new Position(segment.firstSeq, read.end());
      records.add(read.record());
      peekedEnds.put(read.record().seq(), position);
      bytes += read.record().payload().length;
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

  private FileChannel channel(Segment segment) throws IOException {
    if (channelSegment != segment.firstSeq) {
      close();
      channel = FileChannel.open(segment.path, StandardOpenOption.READ);
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
