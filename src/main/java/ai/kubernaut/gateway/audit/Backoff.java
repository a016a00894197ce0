package ai.kubernaut.gateway.audit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with ±10% jitter: {@code initial·2^(k−1)}, at most {@code max}. */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private int failures;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** The pause before the next attempt after one more failure. */
  Duration next() {
    failures++;
    long base = initial.toMillis() << Math.min(failures - 1, 30);
    long capped = Math.min(base < 0 ? Long.MAX_VALUE : base, max.toMillis());
    double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis(Math.min(Math.round(capped * jitter), max.toMillis()));
  }

  void reset() {
    failures = 0;
  }

  int failures() {
    return failures;
  }
}
