package ai.kubernaut.gateway.audit.spool;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of the spool.
 *
 * @param seq its position in the spool, starting at 1 and increasing by one per record
 * @param appendedAt when it was appended
 * @param payload the bytes appended
 */
public record SpoolRecord(long seq, Instant appendedAt, byte[] payload) {

  public SpoolRecord {
    Objects.requireNonNull(appendedAt, "appendedAt");
    Objects.requireNonNull(payload, "payload");
  }
}
