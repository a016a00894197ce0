package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lost records already counted in {@code audit_events_lost_total}, kept next to the segments.
 * Damaged records stay in the spool until delivery passes them, so every start during an outage
 * finds them again; this ledger keeps such a start from counting them again. It is replaced whole
 * (a temporary file forced, renamed over it, the directory forced) each time records are counted,
 * which is rare; ranges delivery has passed are dropped then. A ledger that cannot be read counts
 * again rather than never: lost records are then counted twice, not hidden.
 */
final class LostLedger {

  private static final Logger log = LoggerFactory.getLogger(LostLedger.class);
  static final String FILE = "lost-counted";

  private final Path directory;
  private final Path file;
  private final SpoolFiles files;

  /** Counted ranges, disjoint: first sequence number to last. */
  private final TreeMap<Long, Long> counted = new TreeMap<>();

  private LostLedger(Path directory, SpoolFiles files) {
    this.directory = directory;
    this.file = directory.resolve(FILE);
    this.files = files;
  }

  static LostLedger open(Path directory, SpoolFiles files) {
    LostLedger ledger = new LostLedger(directory, files);
    ledger.load();
    return ledger;
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      int end = text.lastIndexOf("end ");
      if (end < 0 || !text.substring(end + 4).strip().equals(checksum(text.substring(0, end)))) {
        throw new IOException("checksum mismatch");
      }
      for (String line : text.substring(0, end).split("\n")) {
        if (!line.isBlank()) {
          String[] range = line.strip().split(" ");
          add(Long.parseLong(range[0]), Long.parseLong(range[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      counted.clear();
      log.warn(
          "audit spool {}: the record of lost events already counted is unreadable ({}); lost"
              + " events found again are counted again",
          file,
          e.toString());
    }
  }

  /** The highest sequence number counted lost; 0 when none is. */
  synchronized long highest() {
    return counted.isEmpty() ? 0 : counted.lastEntry().getValue();
  }

  /** How many of {@code range}'s records were not counted yet. */
  synchronized long uncounted(LostRecords range) {
    long covered = 0;
    Map.Entry<Long, Long> entry = counted.floorEntry(range.first());
    long from = entry == null ? range.first() : entry.getKey();
    for (Map.Entry<Long, Long> e : counted.subMap(from, true, range.last(), true).entrySet()) {
      long first = Math.max(e.getKey(), range.first());
      long last = Math.min(e.getValue(), range.last());
      covered += Math.max(0, last - first + 1);
    }
    return range.count() - covered;
  }

  /**
   * Notes {@code range} as counted, forgets ranges at or below {@code acknowledged}, and writes the
   * ledger durably. A failed write is logged: the range may then be counted again after a restart.
   */
  synchronized void counted(LostRecords range, long acknowledged) {
    add(range.first(), range.last());
    counted.headMap(acknowledged, true).values().removeIf(last -> last <= acknowledged);
    StringBuilder text = new StringBuilder();
    counted.forEach((first, last) -> text.append(first).append(' ').append(last).append('\n'));
    String body = text.toString();
    byte[] bytes = (body + "end " + checksum(body) + "\n").getBytes(StandardCharsets.US_ASCII);
    Path temporary = directory.resolve(FILE + ".new");
    try {
      Files.deleteIfExists(temporary);
      try (SpoolFile out = files.create(temporary)) {
        out.write(ByteBuffer.wrap(bytes), 0);
        out.force();
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      files.forceDirectory(directory);
    } catch (IOException e) {
      log.warn(
          "audit spool {}: cannot record that lost events {} to {} were counted ({}); a restart"
              + " may count them again",
          directory,
          range.first(),
          range.last(),
          e.toString());
    }
  }

  private void add(long first, long last) {
    long from = first;
    long to = last;
    Map.Entry<Long, Long> before = counted.floorEntry(first);
    if (before != null && before.getValue() >= first - 1) {
      from = before.getKey();
      to = Math.max(to, before.getValue());
    }
    for (Map.Entry<Long, Long> e = counted.ceilingEntry(from);
        e != null && e.getKey() <= to + 1;
        e = counted.ceilingEntry(from)) {
      to = Math.max(to, e.getValue());
      counted.remove(e.getKey());
    }
    counted.put(from, to);
  }

  private static String checksum(String text) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.US_ASCII));
    return Long.toHexString(crc.getValue());
  }
}
