package ai.kubernaut.gateway.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When the API calls made for one batch of signals must stop: every call and every retry of the
 * batch draws from this one budget instead of starting a fresh one.
 *
 * @param nanos the {@link System#nanoTime()} value at which the budget runs out
 */
record Deadline(long nanos) {

  static Deadline at(Instant deadline, Clock clock) {
    Duration left = Duration.between(clock.instant(), deadline);
    return new Deadline(System.nanoTime() + Math.max(0, left.toNanos()));
  }

  /**
   * This deadline moved {@code grace} later: for reading back a write that failed uncertainly,
   * whose sender waits for the answer anyway.
   */
  Deadline extendedBy(Duration grace) {
    return new Deadline(nanos + grace.toNanos());
  }

  boolean passed() {
    return System.nanoTime() >= nanos;
  }

  Duration left() {
    return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
  }
}
