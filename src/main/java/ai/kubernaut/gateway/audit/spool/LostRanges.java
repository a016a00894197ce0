package ai.kubernaut.gateway.audit.spool;

import java.util.TreeMap;

/**
 * The ranges of sequence numbers known lost and not yet acknowledged: durable records that read
 * back damaged, and numbers reserved for bytes that did not read. Not thread-safe: the spool calls
 * it under its lock.
 */
final class LostRanges {

  private final TreeMap<Long, LostRecords> ranges = new TreeMap<>();

  /** Takes a range an earlier run found. */
  void put(LostRecords range) {
    ranges.put(range.first(), range);
  }

  /** Takes {@code range} unless it is acknowledged or already known; true when it is new. */
  boolean add(LostRecords range, long acknowledgedSeq) {
    LostRecords known = ranges.get(range.first());
    if (range.last() <= acknowledgedSeq || (known != null && known.last() >= range.last())) {
      return false;
    }
    ranges.put(range.first(), range);
    return true;
  }

  /** Forgets the ranges wholly at or below {@code acknowledgedSeq}. */
  void acknowledged(long acknowledgedSeq) {
    ranges.values().removeIf(range -> range.last() <= acknowledgedSeq);
  }

  /** How many numbers after {@code acknowledgedSeq} and up to {@code durableSeq} are lost. */
  long within(long acknowledgedSeq, long durableSeq) {
    long gone = 0;
    for (LostRecords range : ranges.values()) {
      long from = Math.max(range.first(), acknowledgedSeq + 1);
      gone += Math.max(0, Math.min(range.last(), durableSeq) - from + 1);
    }
    return gone;
  }
}
