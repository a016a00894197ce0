package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A fingerprint's claim on incident numbers: the highest number any gateway replica has claimed,
 * and until when its claimant says it may still be creating that incident. Whether it may is judged
 * by {@link ClaimSightings} on the reader's clock; the claimant's stamp is read on the claimant's
 * clock and only chooses between answers that are both safe.
 *
 * @param sequence the highest incident number claimed; 0 when none is recorded
 * @param stampedUntil until when the claimant may still be creating incident {@code sequence}, on
 *     the claimant's clock
 * @param lockedByOtherWriter true when the claim is held as a plain lock by a writer that records
 *     no numbers (the Go Gateway): nothing may be opened while it is fresh
 * @param version the version read, on which the next claim is conditional (and by which a replica
 *     tells one claim from the next); empty when the claim does not exist
 * @param source how this replica knows the claim
 */
public record IncidentClaim(
    int sequence,
    Instant stampedUntil,
    boolean lockedByOtherWriter,
    Optional<String> version,
    Source source) {

  /** How a replica knows a claim. */
  public enum Source {
    /** Read from the server just now. */
    READ,
    /** As this replica last wrote or read it, before the decision at hand. */
    REMEMBERED,
    /**
     * Nothing was known and nothing suggested a claim exists: taken to be absent without asking. A
     * claim taken on it fails if one exists, and then says nothing about what another replica is
     * doing.
     */
    ASSUMED
  }

  public IncidentClaim {
    Objects.requireNonNull(stampedUntil, "stampedUntil");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(source, "source");
  }

  /** No claim exists yet. */
  public static IncidentClaim none() {
    return new IncidentClaim(0, Instant.EPOCH, false, Optional.empty(), Source.READ);
  }

  /** Nothing is known of the claim and nothing suggests one exists: taken to be absent. */
  public static IncidentClaim assumedAbsent() {
    return new IncidentClaim(0, Instant.EPOCH, false, Optional.empty(), Source.ASSUMED);
  }

  /** This claim, as known from an earlier write or read. */
  public IncidentClaim remembered() {
    return new IncidentClaim(
        sequence, stampedUntil, lockedByOtherWriter, version, Source.REMEMBERED);
  }

  /**
   * True while the claimant's stamp says it may still be creating the incident it claimed, read on
   * this replica's clock: wrong by as much as the two clocks differ.
   */
  public boolean stampedOpening(Instant now) {
    return now.isBefore(stampedUntil);
  }
}
