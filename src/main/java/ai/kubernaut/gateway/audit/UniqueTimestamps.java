package ai.kubernaut.gateway.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event timestamps to the microsecond (what DataStorage stores) that never repeat: where the clock
 * would give the same microsecond twice, the later one is moved on by one.
 */
final class UniqueTimestamps {

  private final Clock clock;
  private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);

  UniqueTimestamps(Clock clock) {
    this.clock = clock;
  }

  /** The clock's time to the microsecond, moved on by one microsecond where it would repeat. */
  Instant next() {
    Instant now = clock.instant();
    long micros =
        Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
    long unique = lastMicros.accumulateAndGet(micros, (last, next) -> Math.max(last + 1, next));
    return Instant.ofEpochSecond(
        Math.floorDiv(unique, 1_000_000L), Math.floorMod(unique, 1_000_000L) * 1_000L);
  }
}
