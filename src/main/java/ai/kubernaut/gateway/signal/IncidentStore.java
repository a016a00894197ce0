package ai.kubernaut.gateway.signal;

import java.util.List;

/**
 * Where incidents live: RemediationRequests in the controller namespace. Writes are conditional on
 * the version the caller read, so concurrent writers never lose each other's updates.
 */
public interface IncidentStore {

  /** Incidents with this fingerprint from the local view (cache plus this process's own writes). */
  List<IncidentState> find(Fingerprint fingerprint);

  /** Incidents with this fingerprint read from the API server, bypassing every cache. */
  List<IncidentState> readThrough(Fingerprint fingerprint);

  /** The current state of one incident from the API server. */
  IncidentState read(IncidentState incident);

  /** Creates a new incident for {@code signal}; its occurrence record is written separately. */
  IncidentState create(Signal signal);

  /**
   * Replaces the occurrence record of {@code incident} if it is still at the version read.
   *
   * @throws ConflictException when the incident changed since it was read
   * @throws IncidentGoneException when it no longer exists
   */
  IncidentState writeOccurrences(IncidentState incident, OccurrenceCount occurrences);

  /** The incident changed since it was read; re-read and decide again. */
  final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
      super(message);
    }
  }

  /** The incident was deleted since it was read. */
  final class IncidentGoneException extends RuntimeException {
    public IncidentGoneException(String message) {
      super(message);
    }
  }
}
