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
  void aLineThatWouldTakeItPastItsLimitIsNotWritten() throws IOException {
    Path file = dir.resolve(AuditDelivery.DEAD_LETTER_FILE);
    DeadLetterFile deadLetters = new DeadLetterFile(file, JSON, Clock.systemUTC(), 2048);

    int appended = 0;
    while (deadLetters.append(record(appended + 1), 400, "bad")) {
      appended++;
    }
    long size = Files.size(file);

    assertThat(appended).isPositive();
    assertThat(size).isLessThanOrEqualTo(2048);
    assertThat(size + size / appended).as("one line more would not fit").isGreaterThan(2048);
    assertThat(deadLetters.append(record(9), 400, "bad")).isFalse();
    assertThat(Files.size(file)).isEqualTo(size);
    assertThat(deadLetters.bytes()).isEqualTo(size);
  }

  @Test
  void aLongRefusalIsMeasuredByTheLineItMakesSoTheLimitHoldsExactly() throws IOException {
    Path file = dir.resolve(AuditDelivery.DEAD_LETTER_FILE);
    long limit = SampleEvents.event(1).length + 1024;
    DeadLetterFile deadLetters = new DeadLetterFile(file, JSON, Clock.systemUTC(), limit);

    assertThat(deadLetters.append(record(1), 400, "\0".repeat(3000))).isFalse();
    assertThat(deadLetters.bytes()).isLessThanOrEqualTo(limit);
    assertThat(deadLetters.append(record(1), 400, "bad")).isTrue();
    assertThat(deadLetters.bytes()).isLessThanOrEqualTo(limit);
  }

  private static SpoolRecord record(int n) {
    return new SpoolRecord(n, Instant.parse("2026-12-05T00:00:00Z"), SampleEvents.event(n));
  }
}
