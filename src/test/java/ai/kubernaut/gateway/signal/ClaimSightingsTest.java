package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaimSightingsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
  private final ClaimSightings sightings = new ClaimSightings(clock);
  private final Fingerprint fingerprint = IncidentRecorderTest.signal("checkout").fingerprint();

  /** A claim stamped by a claimant whose clock is far away: the stamp plays no part. */
  private static IncidentClaim claim(String version) {
    return new IncidentClaim(
        1, Instant.EPOCH, false, Optional.of(version), IncidentClaim.Source.READ);
  }

  @Test
  void aClaimIsOpeningForThirtySecondsFromItsFirstSightingWhateverItsStamp() {
    assertThat(sightings.opening(fingerprint, claim("7"))).isTrue();
    clock.advance(Duration.ofSeconds(29));
    assertThat(sightings.opening(fingerprint, claim("7"))).isTrue();
    clock.advance(Duration.ofSeconds(1));

    assertThat(sightings.opening(fingerprint, claim("7"))).isFalse();
  }

  @Test
  void aClaimThisReplicaWroteIsSeenFromWhenItsWriteWasSentNotFromItsAnswer() {
    Instant sentAt = clock.instant();
    clock.advance(Duration.ofSeconds(5)); // the claim write's answer was slow

    sightings.wrote(fingerprint, claim("7"), sentAt);
    clock.advance(Duration.ofSeconds(24));
    assertThat(sightings.opening(fingerprint, claim("7").remembered())).isTrue();
    clock.advance(Duration.ofSeconds(1));

    assertThat(sightings.opening(fingerprint, claim("7").remembered()))
        .as("30 s after the write was sent, though the answer came 25 s ago")
        .isFalse();
  }

  @Test
  void aNewVersionOfTheClaimIsANewSighting() {
    sightings.opening(fingerprint, claim("7"));
    clock.advance(Duration.ofSeconds(31));

    assertThat(sightings.opening(fingerprint, claim("8"))).isTrue();
    assertThat(sightings.seenFor(fingerprint, claim("8"))).isZero();
  }

  @Test
  void aClaimTheServerSaysIsOlderThanTheWindowHasEndedAtFirstSight() {
    assertThat(sightings.opening(fingerprint, claim("7").agedOnServer(Duration.ofSeconds(30))))
        .isFalse();
  }

  @Test
  void theServersAgeCountsTowardsTheWindowFromTheFirstSighting() {
    assertThat(sightings.opening(fingerprint, claim("7").agedOnServer(Duration.ofSeconds(20))))
        .isTrue();
    clock.advance(Duration.ofSeconds(9));
    assertThat(sightings.opening(fingerprint, claim("7").remembered())).isTrue();
    clock.advance(Duration.ofSeconds(1));

    assertThat(sightings.opening(fingerprint, claim("7").remembered())).isFalse();
  }

  @Test
  void aLaterAnswerThatTellsALowerServerAgeDoesNotMakeTheClaimYounger() {
    sightings.opening(fingerprint, claim("7").agedOnServer(Duration.ofSeconds(25)));
    clock.advance(Duration.ofSeconds(5));

    assertThat(sightings.opening(fingerprint, claim("7").agedOnServer(Duration.ofSeconds(3))))
        .isFalse();
  }

  @Test
  void aClaimIsJudgedAsOfWhenTheIncidentsWereListed() {
    Instant listedAt = clock.instant();
    clock.advance(Duration.ofSeconds(10));

    assertThat(
            sightings.opening(
                fingerprint, claim("7").agedOnServer(Duration.ofSeconds(35)), listedAt))
        .as("35 s old when read, 25 s old when the incidents were listed")
        .isTrue();
    assertThat(sightings.opening(fingerprint, claim("7"), clock.instant())).isFalse();
  }

  @Test
  void aClaimThatDoesNotExistIsNeverOpening() {
    assertThat(sightings.opening(fingerprint, IncidentClaim.none())).isFalse();
    assertThat(sightings.opening(fingerprint, IncidentClaim.assumedAbsent())).isFalse();
  }

  @Test
  void aSightingForgottenToMakeRoomStartsItsWindowAgainRatherThanEndingIt() {
    sightings.opening(fingerprint, claim("7"));
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < ClaimSightings.REMEMBERED; i++) {
      sightings.opening(
          new Fingerprint(Sha256.hex("other-" + i)), claim(Integer.toString(100 + i)));
    }

    assertThat(sightings.opening(fingerprint, claim("7"))).isTrue();
  }

  @Test
  void aClockThatStepsBackDoesNotEndAWindowEarly() {
    sightings.opening(fingerprint, claim("7"));
    clock.advance(Duration.ofSeconds(-3600));

    assertThat(sightings.opening(fingerprint, claim("7"))).isTrue();
  }
}
