package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.CreateWindow;
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
   * The budget for sending the create of a claimed incident: the batch's, but no send after the
   * last one that the claim's window admits. The window is measured on {@link System#nanoTime()}
   * from the claim, so a step of the wall clock since then cannot lengthen it.
   *
   * @param requestTimeout how long one request may last at most (the client's request timeout)
   */
  static Deadline forCreate(
      Instant batchDeadline, Clock clock, CreateWindow window, Duration requestTimeout) {
    long batch = at(batchDeadline, clock).nanos();
    long lastSend = window.lastSend(requestTimeout);
    return new Deadline(lastSend - batch < 0 ? lastSend : batch);
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
