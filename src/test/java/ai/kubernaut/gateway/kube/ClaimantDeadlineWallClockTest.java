package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.signal.CreateWindow;
import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Review attack: readers judge a claim on their monotonic clock, but how late the claimant may
 * still send the create it claimed was derived from the wall clock again at every store call
 * ({@code Deadline.at} in {@code RemediationRequestStore.create}). A wall-clock step backwards
 * between the claim and the create (an NTP step, a resumed VM) lengthened the create's budget by
 * the step. The create's sends are now bounded by the claim's window on {@link System#nanoTime()}
 * as well.
 */
class ClaimantDeadlineWallClockTest {

  @Test
  void aCreateAfterAClaimStartsWithinTheOpeningWindowWhateverTheWallClockDoes() {
    MutableClock wall = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    Instant batchDeadline = wall.instant().plusSeconds(15);
    long claimedAt = System.nanoTime();
    CreateWindow window = CreateWindow.ofClaimSentAt(claimedAt);
    // the wall clock steps back by a minute between the claim and the create
    wall.advance(Duration.ofSeconds(-60));

    Deadline createBudget =
        Deadline.forCreate(batchDeadline, wall, window, Duration.ofMillis(7_500));

    assertThat(Duration.ofNanos(createBudget.nanos() - claimedAt))
        .as("how long after the claim its create may still be sent")
        .isLessThan(IncidentClaims.OPENING_WINDOW);
  }

  /** The batch deadline still ends the sends when it comes first. */
  @Test
  void aBatchDeadlineBeforeTheWindowStillEndsTheSends() {
    MutableClock wall = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    long claimedAt = System.nanoTime();

    Deadline createBudget =
        Deadline.forCreate(
            wall.instant().plusSeconds(1),
            wall,
            CreateWindow.ofClaimSentAt(claimedAt),
            Duration.ofMillis(7_500));

    assertThat(Duration.ofNanos(createBudget.nanos() - claimedAt))
        .isLessThanOrEqualTo(Duration.ofSeconds(2));
  }
}
