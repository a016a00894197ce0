package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class DataStorageRetryAfterTest {

  @Test
  void secondsAreReadAsSeconds() {
    assertThat(DataStorageClient.retryAfter("7")).contains(Duration.ofSeconds(7));
  }

  @Test
  void anHttpDateIsReadAsTheTimeLeftUntilThen() {
    String inAMinute =
        ZonedDateTime.now(ZoneOffset.UTC)
            .plusSeconds(60)
            .format(DateTimeFormatter.RFC_1123_DATE_TIME);

    assertThat(DataStorageClient.retryAfter(inAMinute))
        .hasValueSatisfying(
            left -> assertThat(left).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61)));
  }

  @Test
  void aDateInThePastMeansNowAndAnythingElseIsIgnored() {
    assertThat(DataStorageClient.retryAfter("Tue, 01 Jan 2002 00:00:00 GMT"))
        .contains(Duration.ZERO);
    assertThat(DataStorageClient.retryAfter("soon")).isEmpty();
  }
}
