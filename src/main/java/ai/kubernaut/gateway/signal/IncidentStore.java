package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where incidents live: RemediationRequests in the controller namespace. Writes are conditional on
 * the version the caller read, so concurrent writers never lose each other's updates. Every call
 * that reaches the API server stops retrying at {@code deadline}.
 */
public interface IncidentStore {

  /** Incidents with this fingerprint from the local view (cache plus this process's own writes). */
  List<IncidentState> find(Fingerprint fingerprint);

  /**
   * Incidents with this fingerprint read from the API server, bypassing the cache for every
   * incident this gateway created; incidents created by other writers are added as last seen.
   */
  List<IncidentState> readThrough(Fingerprint fingerprint, Instant deadline);

  /**
   * The current state of one incident from the API server.
   *
   * @throws IncidentGoneException when it no longer exists
   */
  IncidentState read(IncidentState incident, Instant deadline);

  /**
   * The fingerprint's claim on incident numbers as this replica knows it: as it last wrote or read
   * it, else read from the API server, else (no claim remembered, no incident of this gateway for
   * the fingerprint known and {@code highestKnown} 0) {@linkplain IncidentClaim#assumedAbsent()
   * assumed absent}. A claim remembered below {@code highestKnown} is stale (another replica opened
   * an incident since) and read again. A claim is only ever taken conditionally on the version
   * seen, so a stale view costs a conflict, never a wrong number.
   *
   * @param highestKnown the highest incident number the caller knows exists; 0 when none
   */
  IncidentClaim readClaim(Fingerprint fingerprint, int highestKnown, Instant deadline);

  /**
   * Records that incident {@code sequence} of the fingerprint is being opened, if the claim is
   * still as {@code seen}. The claim outlives the incidents, so numbers never go backwards when
   * finished incidents are deleted.
   *
   * @throws ConflictException when another writer changed the claim since it was read
   */
  IncidentClaim claim(Fingerprint fingerprint, IncidentClaim seen, int sequence, Instant deadline);

  /**
   * Creates incident number {@code sequence} of the signal's fingerprint. Its name is derived from
   * the fingerprint and the sequence alone, so two writers creating the same incident collide on
   * the name and exactly one succeeds. The occurrence record is written separately. A create that
   * failed after it may have reached the server is resolved by reading the name back.
   *
   * <p>Every send of the create, the first and any re-send, is made only while a request sent then
   * is answered within {@code window} (readers move past the claim after it); otherwise it fails as
   * a {@link TransientBackendException} without being sent.
   *
   * @param window until when the create must have reached the server, from the claim taken for it
   * @throws IncidentExistsException when another writer already created an object of that name
   */
  IncidentState create(Signal signal, int sequence, Instant deadline, CreateWindow window);

  /**
   * Replaces the occurrence record of {@code incident} if it is still at the version read. A write
   * that failed after it may have reached the server is resolved by reading the incident back.
   *
   * @throws ConflictException when the incident changed since it was read and the write was not
   *     applied
   * @throws IncidentGoneException when it no longer exists and the write was not applied
   * @throws TransientBackendException when the write failed, including when the server cannot tell
   *     whether it was applied
   */
  IncidentState writeOccurrences(
      IncidentState incident, OccurrenceCount occurrences, Instant deadline);

  /** The incident changed since it was read; re-read and decide again. */
  final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
      super(message);
    }
  }

  /**
   * Another writer already created an object with this incident's name. {@code holder} is that
   * object when it could be read back.
   */
  final class IncidentExistsException extends RuntimeException {
    private final transient IncidentState holder;

    public IncidentExistsException(String message, IncidentState holder) {
      super(message);
      this.holder = holder;
    }

    public Optional<IncidentState> holder() {
      return Optional.ofNullable(holder);
    }
  }

  /** The incident was deleted since it was read. */
  final class IncidentGoneException extends RuntimeException {
    public IncidentGoneException(String message) {
      super(message);
    }
  }
}
