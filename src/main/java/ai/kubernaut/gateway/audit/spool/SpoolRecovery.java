package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what an earlier run left in a spool directory: every segment up to its first record
 * that is cut short or fails its checksum, and the acknowledgement watermark. Segments holding
 * nothing undelivered are deleted.
 */
final class SpoolRecovery {

  private static final Logger log = LoggerFactory.getLogger(SpoolRecovery.class);

  /**
   * What was found.
   *
   * @param segments the segments still holding undelivered records, by first sequence number
   * @param lastSeq the highest sequence number used so far (intact or acknowledged)
   * @param acknowledgedSeq the acknowledgement watermark
   * @param cursor where the first undelivered record is, if there is one
   * @param tornBytes bytes skipped after the last intact record of a segment
   */
  record Result(
      TreeMap<Long, Segment> segments,
      long lastSeq,
      long acknowledgedSeq,
      Optional<Position> cursor,
      long tornBytes) {}

  private SpoolRecovery() {}

  static Result recover(Path directory, AckFile ackFile) throws IOException {
    if (ackFile.read().isEmpty() && ackFile.hasData()) {
      log.warn("audit spool acknowledgement in {} is unreadable; redelivering all", directory);
    }
    long acknowledged = ackFile.read().orElse(0);
    TreeMap<Long, Segment> segments = new TreeMap<>();
    long last = acknowledged;
    long torn = 0;
    Position cursor = null;
    List<Path> delivered = new ArrayList<>();
    for (Path file : segmentFiles(directory)) {
      long first = Segment.firstSeqOf(file).orElseThrow();
      Segment.Scan scan = Segment.scan(file, first, acknowledged);
      Segment segment = scan.segment();
      if (scan.tornBytes() > 0) {
        torn += scan.tornBytes();
        log.warn(
            "audit spool segment {}: skipped {} bytes after its last intact record (a write cut"
                + " short by a crash); {} records before them are kept",
            file.getFileName(),
            scan.tornBytes(),
            segment.lastSeq - segment.firstSeq + 1);
      }
      if (!segment.hasRecords() || segment.lastSeq <= acknowledged) {
        delivered.add(file);
        continue;
      }
      segments.put(first, segment);
      last = Math.max(last, segment.lastSeq);
      if (cursor == null) {
        cursor = new Position(first, scan.firstUnacknowledgedOffset().orElseThrow());
      }
    }
    for (Path file : delivered) {
      Files.deleteIfExists(file);
    }
    return new Result(segments, last, acknowledged, Optional.ofNullable(cursor), torn);
  }

  private static List<Path> segmentFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> Segment.firstSeqOf(f).isPresent()).sorted().toList();
    }
  }
}
