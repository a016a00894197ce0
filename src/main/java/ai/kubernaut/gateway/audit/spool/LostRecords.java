package ai.kubernaut.gateway.audit.spool;

import java.util.Optional;

/**
 * Records that had been durable but read back damaged, so can never be delivered: the sequence
 * numbers {@code first} to {@code last}, inclusive.
 */
record LostRecords(long first, long last) {

  /** The records {@code first..last} that were not delivered yet, if there are any. */
  static Optional<LostRecords> between(long first, long last, long acknowledged) {
    long from = Math.max(first, acknowledged + 1);
    return from <= last ? Optional.of(new LostRecords(from, last)) : Optional.empty();
  }

  long count() {
    return last - first + 1;
  }
}
