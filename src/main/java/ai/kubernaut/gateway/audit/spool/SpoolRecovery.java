package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back what an earlier run left in a spool directory: every segment's intact records, and the
 * acknowledgement watermark. Only the end of the last segment can be a write a crash cut short; a
 * damaged record anywhere else is reported as lost. Segments holding nothing undelivered are
 * deleted.
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
   * @param tornBytes bytes skipped after the last intact record of the last segment
   * @param lost undelivered records that read back damaged
   */
  record Result(
      TreeMap<Long, Segment> segments,
      long lastSeq,
      long acknowledgedSeq,
      Optional<Position> cursor,
      long tornBytes,
      List<LostRecords> lost) {}

  private SpoolRecovery() {}

  static Result recover(Path directory, AckFile ackFile, SpoolFiles files) throws IOException {
    if (ackFile.read().isEmpty() && ackFile.hasData()) {
      log.warn("audit spool acknowledgement in {} is unreadable; redelivering all", directory);
    }
    List<Path> found = segmentFiles(directory);
    long acknowledged = ackFile.read().orElse(0);
    if (!found.isEmpty()) {
      // segment files are deleted only once all their records are acknowledged
      acknowledged = Math.max(acknowledged, Segment.firstSeqOf(found.getFirst()).orElseThrow() - 1);
    }
    TreeMap<Long, Segment> segments = new TreeMap<>();
    long last = acknowledged;
    long torn = 0;
    Position cursor = null;
    List<LostRecords> lost = new ArrayList<>();
    List<Path> delivered = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      Path file = found.get(i);
      long first = Segment.firstSeqOf(file).orElseThrow();
      OptionalLong next =
          i + 1 < found.size() ? Segment.firstSeqOf(found.get(i + 1)) : OptionalLong.empty();
      Segment.Scan scan = Segment.scan(files, file, first, acknowledged, next);
      Segment segment = scan.segment();
      if (scan.tornBytes() > 0) {
        torn += scan.tornBytes();
        log.warn(
            "audit spool segment {}: skipped {} bytes after its last intact record (a write cut"
                + " short by a crash, never reported durable); {} records before them are kept",
            file.getFileName(),
            scan.tornBytes(),
            segment.lastSeq - segment.firstSeq + 1);
      }
      for (LostRecords gone : scan.lost()) {
        log.error(
            "audit spool segment {}: {} undelivered audit events (sequence {} to {}) read back"
                + " damaged and are LOST; they had been on disk, so the disk corrupted them;"
                + " counted in audit_events_lost_total",
            file.getFileName(),
            gone.count(),
            gone.first(),
            gone.last());
      }
      lost.addAll(scan.lost());
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
    for (LostRecords gone : lost) {
      last = Math.max(last, gone.last());
    }
    for (Path file : delivered) {
      Files.deleteIfExists(file);
    }
    return new Result(segments, last, acknowledged, Optional.ofNullable(cursor), torn, lost);
  }

  private static List<Path> segmentFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> Segment.firstSeqOf(f).isPresent()).sorted().toList();
    }
  }
}
