package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteCircuitBreakerTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
  private final List<Integer> states = new ArrayList<>();
  private final WriteCircuitBreaker breaker = new WriteCircuitBreaker(clock, states::add);

  @Test
  void opensWhenHalfOfAtLeastTenWritesWithinTenSecondsFailed() {
    for (int i = 0; i < 5; i++) {
      write(true);
      write(false);
    }

    assertThat(breaker.state()).isEqualTo(WriteCircuitBreaker.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(states).containsExactly(WriteCircuitBreaker.CLOSED, WriteCircuitBreaker.OPEN);
  }

  @Test
  void staysClosedBelowTenWritesOrBelowHalfFailing() {
    for (int i = 0; i < 9; i++) {
      write(false);
    }
    assertThat(breaker.state()).isEqualTo(WriteCircuitBreaker.CLOSED);

    for (int i = 0; i < 12; i++) {
      write(true);
    }
    write(false);
    assertThat(breaker.state()).isEqualTo(WriteCircuitBreaker.CLOSED);
  }

  @Test
  void failuresOlderThanTenSecondsNoLongerCount() {
    for (int i = 0; i < 9; i++) {
      write(false);
    }
    clock.advance(Duration.ofSeconds(11));
    write(false);

    assertThat(breaker.state()).isEqualTo(WriteCircuitBreaker.CLOSED);
  }

  @Test
  void afterThirtySecondsThreeSuccessfulTrialsCloseIt() {
    tripOpen();
    clock.advance(Duration.ofSeconds(30));

    for (int i = 0; i < 3; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
    }
    assertThat(breaker.tryAcquire()).as("a fourth trial while three are out").isFalse();
    breaker.recordSuccess();
    breaker.recordSuccess();
    breaker.recordSuccess();

    assertThat(breaker.state()).isEqualTo(WriteCircuitBreaker.CLOSED);
    assertThat(states)
        .containsExactly(
            WriteCircuitBreaker.CLOSED,
            WriteCircuitBreaker.OPEN,
            WriteCircuitBreaker.HALF_OPEN,
            WriteCircuitBreaker.CLOSED);
  }

  @Test
  void aFailedTrialOpensItAgain() {
    tripOpen();
    clock.advance(Duration.ofSeconds(30));

    assertThat(breaker.tryAcquire()).isTrue();
    breaker.recordFailure();

    assertThat(breaker.state()).isEqualTo(WriteCircuitBreaker.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  private void tripOpen() {
    for (int i = 0; i < 10; i++) {
      write(false);
    }
    assertThat(breaker.state()).isEqualTo(WriteCircuitBreaker.OPEN);
  }

  private void write(boolean succeeds) {
    assertThat(breaker.tryAcquire()).isTrue();
    if (succeeds) {
      breaker.recordSuccess();
    } else {
      breaker.recordFailure();
    }
  }
}
