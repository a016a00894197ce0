package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.Objects;

/**
 * The gateway-owned deduplication record of an incident: when it was first and last signalled and
 * how many acknowledged signals it has absorbed.
 */
public record OccurrenceCount(Instant firstSeenAt, Instant lastSeenAt, int count) {

  public OccurrenceCount {
    Objects.requireNonNull(firstSeenAt, "firstSeenAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
  }

  /** The record after {@code signals} more occurrences at {@code now}. */
  public OccurrenceCount plus(int signals, Instant now) {
    return new OccurrenceCount(firstSeenAt, now, count + signals);
  }

  /** The record of an incident that has absorbed its first {@code signals} occurrences at now. */
  public static OccurrenceCount first(int signals, Instant now) {
    return new OccurrenceCount(now, now, signals);
  }
}
