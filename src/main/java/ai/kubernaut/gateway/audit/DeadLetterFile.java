package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.audit.spool.SpoolFile;
import ai.kubernaut.gateway.audit.spool.SpoolFiles;
import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Audit events DataStorage refused for good, one JSON object per line with the refusal, forced to
 * disk (and, when the file is new, its directory entry too) before the event leaves the spool. Kept
 * for an operator to inspect, replay and remove. It never holds more than {@code maxBytes}: a line
 * that does not fit is not written, so the refused event stays in the spool instead.
 */
final class DeadLetterFile {

  private final Path file;
  private final ObjectMapper json;
  private final Clock clock;
  private final long maxBytes;
  private final SpoolFiles files;

  DeadLetterFile(Path file, ObjectMapper json, Clock clock, long maxBytes) {
    this(file, json, clock, maxBytes, SpoolFiles.disk());
  }

  DeadLetterFile(Path file, ObjectMapper json, Clock clock, long maxBytes, SpoolFiles files) {
    this.file = file;
    this.json = json;
    this.clock = clock;
    this.maxBytes = maxBytes;
    this.files = files;
  }

  Path file() {
    return file;
  }

  long maxBytes() {
    return maxBytes;
  }

  /**
   * The file's size now; an operator may have moved it away meanwhile. Asked on every request, so
   * an absent file (the usual case) must not cost an exception: {@link File#length()} answers 0.
   */
  long bytes() {
    return file.toFile().length();
  }

  /**
   * Appends a line for {@code record}, forced to disk; false, with nothing written, when the line
   * would take the file past its limit.
   */
  boolean append(SpoolRecord record, int status, String error) throws IOException {
    ObjectNode line = json.createObjectNode();
    line.put("dead_lettered_at", clock.instant().toString());
    line.put("status", status);
    line.put("error", error);
    line.put("spooled_at", record.appendedAt().toString());
    line.set("event", json.readTree(record.payload()));
    byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxBytes) {
      return false;
    }
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    boolean created = !Files.exists(file);
    try (SpoolFile out = files.openForUpdate(file)) {
      long end = out.size();
      // a line a crash cut short stays on a line of its own instead of spoiling this one
      boolean separate = end > 0 && !endsWithNewline(out, end);
      if (end + (separate ? 1 : 0) + bytes.length > maxBytes) {
        return false;
      }
      if (separate) {
        out.write(ByteBuffer.wrap(new byte[] {'\n'}), end++);
      }
      out.write(ByteBuffer.wrap(bytes), end);
      out.force();
    } finally {
      if (created && Files.exists(file)) {
        files.forceDirectory(directory);
      }
    }
    return true;
  }

  private static boolean endsWithNewline(SpoolFile out, long end) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    return out.read(last, end - 1) == 1 && last.get(0) == '\n';
  }
}
