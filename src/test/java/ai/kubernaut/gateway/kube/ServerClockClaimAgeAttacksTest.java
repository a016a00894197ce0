package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.signal.IncidentClaim;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Attacks on judging a claim's age on the API server's clock: whole-second stamps at the window's
 * edge, answers whose dates jump, late receipts and several field managers on one Lease. The unsafe
 * direction is a claim that looks older than it is: a reader could then move past an incident its
 * claimant is still creating.
 */
class ServerClockClaimAgeAttacksTest {

  private static final Instant EPOCH = Instant.parse("2026-12-06T08:00:00Z");
  private static final Duration SPARE = Duration.ofSeconds(1);

  /** Real time in nanoseconds since {@link #EPOCH}; the process's monotonic clock follows it. */
  private final AtomicLong real = new AtomicLong();

  private final ApiServerTime serverTime = new ApiServerTime(real::get);

  /**
   * Every placement of the write and the answer within their seconds, answers received at once or
   * late, decisions made at once or later: the age the stamps give is never more than the real age
   * less a spare second (the room the documented 1 s between API servers' clocks takes).
   */
  @Test
  void theStampsNeverMakeAClaimOlderThanItIsLessASpareSecond() {
    long checked = 0;
    for (long writeMs = 0; writeMs < 1_000; writeMs += 50) {
      for (long gapMs = 25_000; gapMs <= 40_000; gapMs += 37) {
        for (long lateMs : new long[] {0, 1, 400, 999}) {
          for (long decideMs : new long[] {0, 300, 2_000}) {
            ApiServerTime fresh = new ApiServerTime(real::get);
            Instant writtenReal = EPOCH.plusMillis(writeMs);
            Instant stampedReal = writtenReal.plusMillis(gapMs);
            real.set(Duration.between(EPOCH, stampedReal).plusMillis(lateMs).toNanos());
            fresh.observe(dateHeader(stampedReal));
            real.addAndGet(Duration.ofMillis(decideMs).toNanos());
            Instant decidedReal = EPOCH.plusNanos(real.get());

            Duration age =
                IncidentClaim.serverAge(
                    writtenReal.truncatedTo(ChronoUnit.SECONDS), fresh.atLeastNow().orElseThrow());

            assertThat(age)
                .as("write +%d ms, answer %d ms later, received %d ms late", writeMs, gapMs, lateMs)
                .isLessThanOrEqualTo(Duration.between(writtenReal, decidedReal).minus(SPARE));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(10_000);
  }

  /** The window's edge on whole seconds: 30 s of age is reached no sooner than 31 s real. */
  @Test
  void aClaimWrittenLateInItsSecondIsNotThirtySecondsOldUntilThirtyOneHavePassed() {
    Instant writtenReal = EPOCH.plusMillis(999);
    real.set(Duration.ofMillis(999 + 30_900).toNanos());
    serverTime.observe(dateHeader(EPOCH.plusNanos(real.get())));

    Duration age = IncidentClaim.serverAge(EPOCH, serverTime.atLeastNow().orElseThrow());

    assertThat(age).isLessThan(Duration.ofSeconds(30));
    assertThat(Duration.between(writtenReal, EPOCH.plusNanos(real.get())))
        .isGreaterThan(Duration.ofSeconds(30));
  }

  /** One answer with a date far ahead (a proxy's, a server stepped forward) lasts one answer. */
  @Test
  void aDateFarAheadOnOneAnswerIsForgottenAtTheNextAnswer() {
    real.set(Duration.ofSeconds(100).toNanos());
    serverTime.observe(dateHeader(EPOCH.plus(Duration.ofHours(1))));
    real.addAndGet(Duration.ofMillis(10).toNanos());
    serverTime.observe(dateHeader(EPOCH.plusSeconds(100)));

    assertThat(serverTime.atLeastNow().orElseThrow())
        .isBefore(EPOCH.plusSeconds(101))
        .isAfterOrEqualTo(EPOCH.plusSeconds(100));
  }

  /**
   * Dates that go back and forth (two servers a second apart behind a balancer, or the same second
   * received again after another) never put the server's time ahead of the newest date read plus
   * the time since it was received.
   */
  @Test
  void datesGoingBackAndForthNeverPutTheServerAhead() {
    String[] dates = {
      dateHeader(EPOCH.plusSeconds(5)),
      dateHeader(EPOCH.plusSeconds(6)),
      dateHeader(EPOCH.plusSeconds(5)),
      dateHeader(EPOCH.plusSeconds(6)),
      dateHeader(EPOCH.plusSeconds(6)),
    };
    long[] receivedMs = {5_100, 6_050, 6_200, 6_400, 6_900};
    for (int i = 0; i < dates.length; i++) {
      real.set(Duration.ofMillis(receivedMs[i]).toNanos());
      serverTime.observe(dates[i]);
      assertThat(serverTime.atLeastNow().orElseThrow())
          .as("after answer %d", i)
          .isBeforeOrEqualTo(EPOCH.plusNanos(real.get()));
    }
    real.set(Duration.ofSeconds(40).toNanos());
    assertThat(serverTime.atLeastNow().orElseThrow()).isBeforeOrEqualTo(EPOCH.plusSeconds(40));
  }

  /**
   * Another field manager writing the Lease after the claim (a label set by kubectl) makes the
   * latest entry later: the claim looks younger (a longer wait), never older.
   */
  @Test
  void aLaterWriteByAnotherFieldManagerMakesTheClaimLookYoungerNeverOlder() {
    Lease lease = new Lease();
    lease.setMetadata(
        new ObjectMetaBuilder()
            .addToManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("gateway")
                    .withOperation("Update")
                    .withTime("2026-12-06T08:00:00Z")
                    .build(),
                new ManagedFieldsEntryBuilder()
                    .withManager("kubectl-label")
                    .withOperation("Update")
                    .withTime("2026-12-06T08:00:20Z")
                    .build(),
                new ManagedFieldsEntryBuilder()
                    .withManager("go-gateway")
                    .withOperation("Update")
                    .withTime("2026-12-06T07:00:00Z")
                    .build())
            .build());

    assertThat(IncidentClaims.writtenAt(lease)).contains(Instant.parse("2026-12-06T08:00:20Z"));
  }

  private static String dateHeader(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        instant.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC));
  }
}
