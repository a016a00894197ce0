package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.audit.spool.FaultyFiles;
import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theDirectoryEntryIsForcedWhenTheFileIsCreatedAndNotForEveryLine() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Path file = dir.resolve("spool").resolve(AuditDelivery.DEAD_LETTER_FILE);
    DeadLetterFile deadLetters = new DeadLetterFile(file, JSON, Clock.systemUTC(), 1 << 20, files);

    deadLetters.append(record(1), 400, "bad");
    deadLetters.append(record(2), 400, "bad");

    assertThat(files.forcedDirectories()).containsExactly(file.getParent().toAbsolutePath());
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void itIsFullBeforeALineWouldTakeItPastItsLimit() throws IOException {
    Path file = dir.resolve(AuditDelivery.DEAD_LETTER_FILE);
    DeadLetterFile deadLetters = new DeadLetterFile(file, JSON, Clock.systemUTC(), 2048);

    assertThat(deadLetters.full(record(1))).isFalse();
    deadLetters.append(record(1), 400, "bad");

    assertThat(deadLetters.full(record(2))).isTrue();
    assertThat(deadLetters.bytes()).isEqualTo(Files.size(file)).isLessThanOrEqualTo(2048);
  }

  private static SpoolRecord record(int n) {
    return new SpoolRecord(n, Instant.parse("2026-12-05T00:00:00Z"), SampleEvents.event(n));
  }
}
