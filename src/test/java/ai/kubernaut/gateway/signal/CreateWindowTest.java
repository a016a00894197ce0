package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CreateWindowTest {

  private static final long CLAIM = 1_000_000_000L;
  private final CreateWindow window = CreateWindow.ofClaimSentAt(CLAIM);

  private static long after(Duration d) {
    return CLAIM + d.toNanos();
  }

  @Test
  void endsTheSafetyMarginBeforeTheOpeningWindow() {
    assertThat(window.answeredBy() - CLAIM)
        .isEqualTo(ClaimSightings.OPENING_WINDOW.minus(CreateWindow.SAFETY_MARGIN).toNanos());
  }

  @Test
  void admitsASendWhoseWholeRequestEndsBeforeTheWindow() {
    Duration timeout = Duration.ofMillis(7_500);
    assertThat(window.admits(after(Duration.ZERO), timeout)).isTrue();
    assertThat(window.admits(after(Duration.ofSeconds(20)), timeout)).isTrue();
    assertThat(window.admits(after(Duration.ofMillis(20_500)), timeout)).isFalse();
    assertThat(window.admits(after(Duration.ofSeconds(25)), timeout)).isFalse();
  }

  @Test
  void neverAdmitsARequestThatMayOutlastTheWindow() {
    assertThat(window.admits(CLAIM, Duration.ofSeconds(28))).isFalse();
    assertThat(window.admits(CLAIM, Duration.ofSeconds(45))).isFalse();
  }

  @Test
  void neverAdmitsARequestWithoutATimeout() {
    assertThat(window.admits(CLAIM, Duration.ZERO)).isFalse();
    assertThat(window.lastSend(Duration.ZERO)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void theLastSendIsTheTimeoutBeforeTheEndOfTheWindow() {
    assertThat(window.lastSend(Duration.ofSeconds(10))).isEqualTo(after(Duration.ofSeconds(18)));
  }
}
