package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the number of the incident a batch opens, from the fingerprint's claim and the incidents
 * the batch knows, and takes the claim on it. The claim tells the highest number any replica has
 * claimed; it is fresh (its claimant may still be creating that incident) until it is 30 s old by
 * the API server's clock, or, where the server does not tell, 30 s after this replica first saw it
 * ({@link ClaimSightings}).
 */
final class IncidentNumbering {

  /** What the batch does next. */
  sealed interface Choice {
    /** Take the claim on {@code sequence}, conditionally on {@code claim}, then create it. */
    record Open(IncidentClaim claim, int sequence) implements Choice {}

    /** List the incidents again, after the claim of version {@code claimVersion}. */
    record ListAgain(Optional<String> claimVersion) implements Choice {}
  }

  private final IncidentStore store;
  private final ClaimSightings sightings;
  private final Fingerprint fingerprint;
  private final Instant deadline;

  IncidentNumbering(
      IncidentStore store, ClaimSightings sightings, Fingerprint fingerprint, Instant deadline) {
    this.store = store;
    this.sightings = sightings;
    this.fingerprint = fingerprint;
    this.deadline = deadline;
  }

  /**
   * @param known the incidents of the fingerprint the batch knows, listed uncached
   * @param listedAfterClaim the claim version the batch already listed again after
   * @param listedAt when {@code known} was listed, on the clock of {@link ClaimSightings#now()}
   * @throws TransientBackendException while the fingerprint is locked by another writer, or claimed
   *     by a replica that may still be creating its incident and that this one cannot join
   */
  Choice choose(
      List<IncidentState> known, Optional<String> listedAfterClaim, Instant now, Instant listedAt) {
    Optional<IncidentState> newest =
        known.stream().max(Comparator.comparingInt(IncidentState::sequence));
    int highest = newest.map(IncidentState::sequence).orElse(0);
    IncidentClaim claim = store.readClaim(fingerprint, highest, deadline);
    boolean opening = sightings.opening(fingerprint, claim, listedAt);
    if (claim.lockedByOtherWriter() && opening) {
      throw new TransientBackendException(
          "another gateway holds the lock on fingerprint " + fingerprint + "; retry shortly");
    }
    if (claim.source() == IncidentClaim.Source.READ
        && opening
        && highest > 0
        && claim.sequence() == highest
        && !writtenBefore(claim, newest.get())
        && !claim.version().equals(listedAfterClaim)) {
      // A claim on the number of the newest incident listed, written after that incident last
      // changed, may be a replica creating that incident again because it was deleted after the
      // batch listed it. Moving past it would open a second incident beside that one: list again
      // first, now after the claim.
      return new Choice.ListAgain(claim.version());
    }
    boolean claimedAbove = claim.sequence() > highest && opening;
    if (claimedAbove && !claim.stampedOpening(now)) {
      // Its claimant may still be creating that incident (its clock may be behind this one's), or
      // created it long ago and it was deleted since: creating it here could bring back a deleted
      // incident's name, moving past it could open a second incident. Wait out the window.
      throw new TransientBackendException(
          "incident "
              + claim.sequence()
              + " of fingerprint "
              + fingerprint
              + " is claimed by a replica that may still be creating it; the claim is known to be "
              + sightings.seenFor(fingerprint, claim).toSeconds()
              + " s old and is moved past once it is "
              + ClaimSightings.OPENING_WINDOW.toSeconds()
              + " s old; retry shortly");
    }
    // A claim above every incident listed, still fresh, is one another replica may be creating:
    // create the same incident so the two collide on its name. Claiming it again first makes a
    // replica that read the same claim but saw that incident (since deleted) and moves on to the
    // next number fail its claim, instead of two incidents being opened.
    return new Choice.Open(
        claim, claimedAbove ? claim.sequence() : Math.max(claim.sequence(), highest) + 1);
  }

  /**
   * Takes the claim chosen, and notes this replica's own claim as seen from when it was sent.
   *
   * @return until when the incident claimed must have been created: measured from before the claim
   *     was sent, since a reader may see it as soon as the server applied it
   * @throws IncidentStore.ConflictException when another writer changed the claim first
   */
  CreateWindow take(Choice.Open open) {
    long sentAt = System.nanoTime();
    Instant sentAtOnSightingsClock = sightings.now();
    sightings.wrote(
        fingerprint,
        store.claim(fingerprint, open.claim(), open.sequence(), deadline),
        sentAtOnSightingsClock);
    return CreateWindow.ofClaimSentAt(sentAt);
  }

  /**
   * Whether the claim was written before the incident last changed, so before anything deleted that
   * incident (versions are revisions of one etcd). Unknown versions say no.
   */
  private static boolean writtenBefore(IncidentClaim claim, IncidentState incident) {
    try {
      return Long.parseLong(claim.version().orElse(""))
          < Long.parseLong(incident.resourceVersion());
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
