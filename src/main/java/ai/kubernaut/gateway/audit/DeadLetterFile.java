package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Audit events DataStorage refused for good, one JSON object per line with the refusal, forced to
 * disk before the event leaves the spool. Kept for an operator to inspect and replay.
 */
final class DeadLetterFile {

  private final Path file;
  private final ObjectMapper json;
  private final Clock clock;

  DeadLetterFile(Path file, ObjectMapper json, Clock clock) {
    this.file = file;
    this.json = json;
    this.clock = clock;
  }

  Path file() {
    return file;
  }

  void append(SpoolRecord record, int status, String error) throws IOException {
    ObjectNode line = json.createObjectNode();
    line.put("dead_lettered_at", clock.instant().toString());
    line.put("status", status);
    line.put("error", error);
    line.put("spooled_at", record.appendedAt().toString());
    line.set("event", json.readTree(record.payload()));
    byte[] bytes =
        (json.writeValueAsString(line) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    }
  }
}
