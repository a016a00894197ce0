package ai.kubernaut.gateway.audit.spool;

/** A place in the spool: a segment (by its first sequence number) and a byte offset in it. */
record Position(long segment, long offset) {}
