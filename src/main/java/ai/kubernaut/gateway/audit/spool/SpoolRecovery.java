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
   * @param newlyLost how many of them no earlier start had counted
   */
  record Result(
      TreeMap<Long, Segment> segments,
      long lastSeq,
      long acknowledgedSeq,
      Optional<Position> cursor,
      long tornBytes,
      List<LostRecords> lost,
      long newlyLost) {}

  private SpoolRecovery() {}

  static Result recover(
      Path directory, AckFile ackFile, SpoolFiles files, LostLedger ledger, ReadFailures failures)
      throws IOException {
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
    long newlyLost = 0;
    List<Path> delivered = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      Path file = found.get(i);
      long first = Segment.firstSeqOf(file).orElseThrow();
      OptionalLong next =
          i + 1 < found.size() ? Segment.firstSeqOf(found.get(i + 1)) : OptionalLong.empty();
      Segment.Scan scan;
      try {
        scan = Segment.scan(files, file, first, acknowledged, next, failures);
      } catch (IOException e) {
        scan = setAside(file, first, acknowledged, next, e);
      }
      Segment segment = scan.segment();
      if (scan.unreadable()) {
        log.error(
            "audit spool segment {}: some bytes cannot be read now (an I/O error, not a crash);"
                + " the segment is kept whole and delivery reads it again, declaring records lost"
                + " only if their bytes keep failing",
            file.getFileName());
      }
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
        long uncounted = ledger.uncounted(gone);
        if (uncounted == 0) {
          log.warn(
              "audit spool segment {}: {} undelivered audit events (sequence {} to {}) read back"
                  + " damaged or unreadable; they were reported LOST and counted before, and are"
                  + " skipped",
              file.getFileName(),
              gone.count(),
              gone.first(),
              gone.last());
          continue;
        }
        newlyLost += uncounted;
        ledger.counted(gone, acknowledged);
        log.error(
            "audit spool segment {}: {} undelivered audit events (sequence {} to {}) read back"
                + " damaged or unreadable and are LOST; {}; counted in audit_events_lost_total",
            file.getFileName(),
            gone.count(),
            gone.first(),
            gone.last(),
            next.isPresent()
                ? "the segment had been forced to disk in full, so the disk corrupted them"
                : "this is the segment the previous run was writing: the disk corrupted them, or"
                    + " the machine (not just the process) crashed before they were forced, and"
                    + " then they were never answered 2xx");
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
    // numbers counted lost before are never given to new records, even if their bytes are gone
    last = Math.max(last, ledger.highest());
    for (Path file : delivered) {
      Files.deleteIfExists(file);
    }
    return new Result(
        segments, last, acknowledged, Optional.ofNullable(cursor), torn, lost, newlyLost);
  }

  /**
   * Moves a segment that cannot be opened or read through (as opposed to one with unreadable
   * ranges, which the scan skips) out of the way, so that it stops neither this start nor the next;
   * its records count as lost. Only when it cannot even be renamed does the start fail.
   */
  private static Segment.Scan setAside(
      Path file, long first, long acknowledged, OptionalLong next, IOException error)
      throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
    try {
      Files.move(file, aside);
    } catch (IOException cannotMove) {
      error.addSuppressed(cannotMove);
      throw error;
    }
    log.error(
        "audit spool segment {} cannot be read ({}); renamed to {} for inspection",
        file.getFileName(),
        error.toString(),
        aside.getFileName());
    List<LostRecords> lost = new ArrayList<>();
    if (next.isPresent()) {
      LostRecords.between(first, next.getAsLong() - 1, acknowledged).ifPresent(lost::add);
    } else if (Files.size(aside) > 0) {
      log.error(
          "audit spool: the undelivered audit events in {}, from sequence {} on, are LOST; how"
              + " many is unknown, so they are not counted in audit_events_lost_total",
          aside.getFileName(),
          Math.max(first, acknowledged + 1));
    }
    Segment none = new Segment(first, aside, 0, 0, first - 1);
    return new Segment.Scan(none, 0, Optional.empty(), lost, false);
  }

  private static List<Path> segmentFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> Segment.firstSeqOf(f).isPresent()).sorted().toList();
    }
  }
}
