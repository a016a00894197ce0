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

  /**
   * Creates incident number {@code sequence} of the signal's fingerprint. Its name is derived from
   * the fingerprint and the sequence alone, so two writers creating the same incident collide on
   * the name and exactly one succeeds. The occurrence record is written separately.
   *
   * @throws IncidentExistsException when that incident already exists
   */
  IncidentState create(Signal signal, int sequence);

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

  /** Another writer already created this incident. */
  final class IncidentExistsException extends RuntimeException {
    public IncidentExistsException(String message) {
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
