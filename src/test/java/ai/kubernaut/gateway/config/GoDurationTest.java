package ai.kubernaut.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "5m, PT5M",
    "100ms, PT0.1S",
    "1h30m, PT1H30M",
    "1.5s, PT1.5S",
    "250us, PT0.00025S",
    "0, PT0S"
  })
  void parsesGoDurations(String text, String expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "s", "5 m", "1d", "-5s", "10s5"})
  void rejectsWhatGoRejects(String text) {
    assertThat(GoDuration.parse(text)).isNull();
  }
}
