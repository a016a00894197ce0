package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-22T01:02:03Z",
        "2026-11-22T01:02:03.4Z",
        "2026-11-22T01:02:03.456789123Z",
        "2026-11-22T01:02:03+02:00",
        "2026-11-22T01:02:03.5-05:30",
        "0001-01-01T00:00:00Z",
        "2024-02-29T23:59:59Z",
        "2026-11-22t01:02:03z",
        "2026-11-22T01:02:03+18:00",
        "2026-11-22T01:02Z",
        "2026-11-22T01:02:03.Z"
      })
  void agreesWithTheJdkParser(String text) {
    assertThat(Rfc3339.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-30T01:02:03Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T01:02:03",
        "2026-11-22T01:02:03.1234567890Z",
        "2026-11-22 01:02:03Z",
        "2026-11-22T01:02:03+2:00",
        "２０２６-11-22T01:02:03Z",
        ""
      })
  void rejectsWhatTheJdkParserRejects(String text) {
    assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void agreesWithTheJdkParserOnRandomInstantsAndOffsets() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000_000));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-17 * 60, 17 * 60 + 1) * 60);
      String text = OffsetDateTime.ofInstant(instant, offset).toString();
      assertThat(Rfc3339.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
  }
}
