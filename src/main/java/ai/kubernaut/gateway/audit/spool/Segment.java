package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  /** The sequence number of the last intact record; {@code firstSeq - 1} when there is none. */
  long lastSeq;

  Segment(long firstSeq, Path path, long size, long readableEnd, long lastSeq) {
    this.firstSeq = firstSeq;
    this.path = path;
    this.size = size;
    this.readableEnd = readableEnd;
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

  /** What a start-up scan found in a segment left by an earlier run. */
  record Scan(Segment segment, long tornBytes, Optional<Long> firstUnacknowledgedOffset) {}

  /**
   * Reads every record of an existing segment and stops at the first one that is cut short, fails
   * its checksum or breaks the sequence: everything from there on is a write a crash interrupted.
   */
  static Scan scan(Path file, long firstSeq, long acknowledged) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      long offset = 0;
      long expected = firstSeq;
      Long firstUnacknowledged = null;
      while (true) {
        RecordFormat.Read read = RecordFormat.read(channel, offset, fileSize);
        if (read == null || read.record().seq() != expected) {
          break;
        }
        if (firstUnacknowledged == null && expected > acknowledged) {
          firstUnacknowledged = offset;
        }
        offset = read.end();
        expected++;
      }
      Segment segment = new Segment(firstSeq, file, fileSize, offset, expected - 1);
      return new Scan(segment, fileSize - offset, Optional.ofNullable(firstUnacknowledged));
    }
  }
}
