package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A fingerprint's claim on incident numbers: the highest number any gateway replica has claimed,
 * and until when the replica that claimed it may still be creating that incident.
 *
 * @param sequence the highest incident number claimed; 0 when none is recorded
 * @param openingUntil until when the claimant may still be creating incident {@code sequence}
 * @param lockedByOtherWriter true when the claim is held as a plain lock by a writer that records
 *     no numbers (the Go Gateway): nothing may be opened before {@code openingUntil}
 * @param version the version read, on which the next claim is conditional; empty when the claim
 *     does not exist
 */
public record IncidentClaim(
    int sequence, Instant openingUntil, boolean lockedByOtherWriter, Optional<String> version) {

  public IncidentClaim {
    Objects.requireNonNull(openingUntil, "openingUntil");
    Objects.requireNonNull(version, "version");
  }

  /** No claim exists yet. */
  public static IncidentClaim none() {
    return new IncidentClaim(0, Instant.EPOCH, false, Optional.empty());
  }

  /** True while the claimant may still be creating the incident it claimed. */
  public boolean opening(Instant now) {
    return now.isBefore(openingUntil);
  }
}
