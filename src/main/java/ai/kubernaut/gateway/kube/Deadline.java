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
   * How long past the deadline a write that failed uncertainly may still be read back: the sender
   * of a signal whose write has started waits for its real result.
   */
  private static final Duration READ_BACK_GRACE = Duration.ofSeconds(5);

  /** This deadline, moved on by the grace for reading back a write that failed uncertainly. */
  Deadline forReadBack() {
    return new Deadline(nanos + READ_BACK_GRACE.toNanos());
  }
}
