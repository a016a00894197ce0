package ai.kubernaut.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How many tokens nobody has seen recently may be sent to the API server for review: a token bucket
 * refilled at {@code perSecond}, holding up to two seconds' worth. Tokens already decided are
 * answered from the caches and never spend from it.
 */
final class ReviewBudget {

  private final Clock clock;
  private final double perSecond;
  private final double capacity;
  private double available;
  private Instant refilled;

  /** A budget of {@code perSecond} reviews a second; zero for no limit. */
  ReviewBudget(int perSecond, Clock clock) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.capacity = 2.0 * perSecond;
    this.available = capacity;
    this.refilled = clock.instant();
  }

  synchronized boolean tryTake() {
    if (perSecond == 0) {
      return true;
    }
    Instant now = clock.instant();
    double elapsed = Math.max(0, Duration.between(refilled, now).toNanos() / 1e9);
    available = Math.min(capacity, available + elapsed * perSecond);
    refilled = now;
    if (available < 1) {
      return false;
    }
    available -= 1;
    return true;
  }
}
