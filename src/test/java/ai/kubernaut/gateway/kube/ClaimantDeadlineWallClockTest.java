package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Review attack: readers judge a claim on their monotonic clock, but how late the claimant may
 * still send the create it claimed is derived from the wall clock again at every store call ({@code
 * Deadline.at} in {@code RemediationRequestStore.create}). A wall-clock step backwards between the
 * claim and the create (an NTP step, a resumed VM) lengthens the create's budget by the step.
 */
class ClaimantDeadlineWallClockTest {

  @Disabled(
      "Review finding: fails (the create's budget reaches 75 s past the claim); remove to run")
  @Test
  void aCreateAfterAClaimStartsWithinTheOpeningWindowWhateverTheWallClockDoes() {
    MutableClock wall = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    Instant batchDeadline = wall.instant().plusSeconds(15);
    long claimedAt = System.nanoTime();
    // the wall clock steps back by a minute between the claim and the create
    wall.advance(Duration.ofSeconds(-60));

    Deadline createBudget = Deadline.at(batchDeadline, wall);

    assertThat(Duration.ofNanos(createBudget.nanos() - claimedAt))
        .as("how long after the claim its create may still be sent")
        .isLessThan(IncidentClaims.OPENING_WINDOW);
  }
}
