package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A claim is fresh for 30 s from when the reader first saw it, on the reader's clock, whatever the
 * claimant's clock said when it stamped the claim: replicas whose clocks differ by more than the
 * opening window neither open a second incident beside one being created nor wait on a dead
 * claimant for longer than the window.
 */
class ClaimClockSkewTest {

  private static final Clock CLAIMANT =
      Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  private static final Clock AHEAD_BY_31_SECONDS = Clock.offset(CLAIMANT, Duration.ofSeconds(31));
  private static final Duration AN_HOUR = Duration.ofHours(1);

  private final InMemoryIncidentStore store = new InMemoryIncidentStore();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private IncidentRecorder replica(Clock clock) {
    return new IncidentRecorder(
        store, clock, new IncidentRecorder.GroupCommit(executor, 500, () -> {}, size -> {}));
  }

  @Test
  void aReplicaWhoseClockIsAheadByMoreThanTheOpeningWindowDoesNotOpenASecondIncident() {
    CountDownLatch inFlight = new CountDownLatch(1);
    store.holdCreatesUntil(inFlight);
    // the claimant took the claim on incident 1 and its create is on its way
    CompletableFuture<Outcome> claimant =
        replica(CLAIMANT)
            .record(IncidentRecorderTest.signal("checkout"), CLAIMANT.instant().plusSeconds(15));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.createAttempts() == 1);

    CompletableFuture<Outcome> ahead =
        replica(AHEAD_BY_31_SECONDS)
            .record(
                IncidentRecorderTest.signal("checkout"),
                AHEAD_BY_31_SECONDS.instant().plusSeconds(15));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> store.createAttempts() == 2 || ahead.isDone());
    inFlight.countDown();
    claimant.join();
    ahead.join();

    assertThat(store.all())
        .as("incidents of one fingerprint opened together")
        .extracting(IncidentState::sequence)
        .containsExactly(1);
  }

  @Test
  void aReplicaWhoseClockIsBehindTheClaimantsByAnHourJoinsTheIncidentBeingCreated() {
    Clock behind = Clock.offset(CLAIMANT, AN_HOUR.negated());
    CountDownLatch inFlight = new CountDownLatch(1);
    store.holdCreatesUntil(inFlight);
    CompletableFuture<Outcome> claimant =
        replica(CLAIMANT)
            .record(IncidentRecorderTest.signal("checkout"), CLAIMANT.instant().plusSeconds(15));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.createAttempts() == 1);

    CompletableFuture<Outcome> reader =
        replica(behind)
            .record(IncidentRecorderTest.signal("checkout"), behind.instant().plusSeconds(15));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> store.createAttempts() == 2 || reader.isDone());
    inFlight.countDown();

    assertThat(List.of(claimant.join(), reader.join()))
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactlyInAnyOrder("Created", "Duplicate");
    assertThat(store.all()).extracting(IncidentState::sequence).containsExactly(1);
  }

  @Test
  void aLockWhoseHolderDiedWithItsClockAnHourAheadIsTakenOverThirtySecondsAfterItWasFirstSeen() {
    MutableClock reader = new MutableClock(CLAIMANT.instant());
    Signal signal = IncidentRecorderTest.signal("checkout");
    // a Go Gateway whose clock is an hour ahead took the lock and died holding it
    store.claimByOtherWriter(
        signal.fingerprint(), 0, true, CLAIMANT.instant().plus(AN_HOUR).plusSeconds(30));
    IncidentRecorder replica = replica(reader);

    assertThat(replica.record(signal, reader.instant().plusSeconds(15)).join())
        .isInstanceOf(Outcome.Failed.class);
    reader.advance(Duration.ofSeconds(29));
    assertThat(replica.record(signal, reader.instant().plusSeconds(15)).join())
        .as("29 s after this replica first saw the lock")
        .isInstanceOf(Outcome.Failed.class);
    reader.advance(Duration.ofSeconds(2));

    assertThat(replica.record(signal, reader.instant().plusSeconds(15)).join())
        .as("31 s after this replica first saw the lock")
        .isInstanceOf(Outcome.Created.class);
    assertThat(store.all()).extracting(IncidentState::sequence).containsExactly(1);
  }

  @Test
  void
      aClaimWhoseClaimantDiedWithItsClockAnHourBehindIsMovedPastThirtySecondsAfterItWasFirstSeen() {
    MutableClock reader = new MutableClock(CLAIMANT.instant());
    Signal signal = IncidentRecorderTest.signal("checkout");
    // a replica whose clock is an hour behind claimed incident 1 and died before creating it: its
    // stamp says the claim expired long ago, which this replica cannot tell from a clock behind
    store.claimByOtherWriter(
        signal.fingerprint(), 1, false, CLAIMANT.instant().minus(AN_HOUR).plusSeconds(30));
    IncidentRecorder replica = replica(reader);

    assertThat(replica.record(signal, reader.instant().plusSeconds(15)).join())
        .isInstanceOf(Outcome.Failed.class);
    assertThat(store.all()).as("incidents opened while the claim is fresh").isEmpty();
    reader.advance(Duration.ofSeconds(31));

    assertThat(replica.record(signal, reader.instant().plusSeconds(15)).join())
        .isInstanceOf(Outcome.Created.class);
    assertThat(store.all()).extracting(IncidentState::sequence).containsExactly(2);
  }

  @Test
  void aClaimWhoseClaimantDiedWithASynchronisedClockIsCreatedInItsPlaceAtOnce() {
    Signal signal = IncidentRecorderTest.signal("checkout");
    store.claimByOtherWriter(signal.fingerprint(), 1, false, CLAIMANT.instant().plusSeconds(30));

    // a replica started since (it has seen nothing) creates the claimed incident, not the next
    assertThat(replica(CLAIMANT).record(signal, CLAIMANT.instant().plusSeconds(15)).join())
        .isInstanceOf(Outcome.Created.class);
    assertThat(store.all()).extracting(IncidentState::sequence).containsExactly(1);
  }
}
