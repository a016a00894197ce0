package ai.kubernaut.gateway.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A fingerprint's claim on incident numbers: the highest number any gateway replica has claimed,
 * and until when its claimant says it may still be creating that incident. Whether it may is judged
 * by {@link ClaimSightings}: from the API server's own stamps when it gives them, else from when
 * the reader first saw the claim, on the reader's clock; the claimant's stamp is read on the
 * claimant's clock and only chooses between answers that are both safe.
 *
 * @param sequence the highest incident number claimed; 0 when none is recorded
 * @param stampedUntil until when the claimant may still be creating incident {@code sequence}, on
 *     the claimant's clock
 * @param lockedByOtherWriter true when the claim is held as a plain lock by a writer that records
 *     no numbers (the Go Gateway): nothing may be opened while it is fresh
 * @param version the version read, on which the next claim is conditional (and by which a replica
 *     tells one claim from the next); empty when the claim does not exist
 * @param source how this replica knows the claim
 * @param serverAge how old the claim's last write was at least when this replica learned of it,
 *     measured on the API server's clock alone (the time the server stamped on the write and the
 *     time it stamped on an answer); zero when the server tells neither or its stamps disagree
 */
public record IncidentClaim(
    int sequence,
    Instant stampedUntil,
    boolean lockedByOtherWriter,
    Optional<String> version,
    Source source,
    Duration serverAge) {

  /**
   * Taken off the difference of the server's two stamps: each is whole seconds, truncated, so the
   * write may have happened up to a second after its stamp says; one second more is kept spare.
   */
  public static final Duration STAMP_MARGIN = Duration.ofSeconds(2);

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
    Objects.requireNonNull(serverAge, "serverAge");
    if (serverAge.isNegative()) {
      serverAge = Duration.ZERO;
    }
  }

  /** A claim the API server tells no age of. */
  public IncidentClaim(
      int sequence,
      Instant stampedUntil,
      boolean lockedByOtherWriter,
      Optional<String> version,
      Source source) {
    this(sequence, stampedUntil, lockedByOtherWriter, version, source, Duration.ZERO);
  }

  /**
   * How old a write stamped {@code writtenAt} by the API server is at least, when the same server's
   * clock reads at least {@code serverNow}; zero when the stamps say it is younger than {@link
   * #STAMP_MARGIN} or written after that time (a clock that disagrees with itself is not trusted).
   */
  public static Duration serverAge(Instant writtenAt, Instant serverNow) {
    Duration age = Duration.between(writtenAt, serverNow).minus(STAMP_MARGIN);
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** This claim, known to be at least {@code age} old by the API server's clock. */
  public IncidentClaim agedOnServer(Duration age) {
    return new IncidentClaim(sequence, stampedUntil, lockedByOtherWriter, version, source, age);
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
        sequence, stampedUntil, lockedByOtherWriter, version, Source.REMEMBERED, serverAge);
  }

  /**
   * True while the claimant's stamp says it may still be creating the incident it claimed, read on
   * this replica's clock: wrong by as much as the two clocks differ.
   */
  public boolean stampedOpening(Instant now) {
    return now.isBefore(stampedUntil);
  }
}
