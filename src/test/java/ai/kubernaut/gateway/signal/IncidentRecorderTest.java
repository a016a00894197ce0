package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IncidentRecorderTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

  private final InMemoryIncidentStore store = new InMemoryIncidentStore();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final IncidentRecorder recorder =
      new IncidentRecorder(
          store, CLOCK, new IncidentRecorder.GroupCommit(executor, 500, () -> {}, size -> {}));

  private CompletableFuture<Outcome> record(Signal signal) {
    return recorder.record(signal, CLOCK.instant().plusSeconds(15));
  }

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void firstSignalCreatesAnIncidentCountedOnce() {
    Outcome outcome = record(signal("checkout")).join();

    assertThat(outcome).isInstanceOf(Outcome.Created.class);
    assertThat(((Outcome.Created) outcome).occurrences().count()).isEqualTo(1);
    assertThat(store.all())
        .singleElement()
        .satisfies(s -> assertThat(s.occurrenceCount()).isEqualTo(1));
  }

  @Test
  void repeatIsCountedOnTheSameIncident() {
    record(signal("checkout")).join();
    Outcome repeat = record(signal("checkout")).join();

    assertThat(repeat).isInstanceOf(Outcome.Duplicate.class);
    assertThat(((Outcome.Duplicate) repeat).occurrences().count()).isEqualTo(2);
    assertThat(store.creates()).isEqualTo(1);
    assertThat(store.all())
        .singleElement()
        .satisfies(s -> assertThat(s.occurrenceCount()).isEqualTo(2));
  }

  @Test
  void concurrentIdenticalSignalsMakeOneIncidentWithAnExactCountAndFewWrites() throws Exception {
    int n = 200;
    store.simulateWriteLatency(Duration.ofMillis(2));
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Outcome>> outcomes =
        IntStream.range(0, n)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                            () -> {
                              await(go);
                              return record(signal("checkout"));
                            },
                            executor)
                        .thenCompose(f -> f))
            .toList();
    go.countDown();
    List<Outcome> results = outcomes.stream().map(CompletableFuture::join).toList();

    assertThat(store.creates()).isEqualTo(1);
    assertThat(store.all())
        .singleElement()
        .satisfies(s -> assertThat(s.occurrenceCount()).isEqualTo(n));
    assertThat(results).filteredOn(o -> o instanceof Outcome.Created).hasSize(1);
    assertThat(results)
        .extracting(IncidentRecorderTest::count)
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, n).boxed().toList());
    assertThat(store.writes()).as("signals folded into few writes").isLessThanOrEqualTo(n / 20);
  }

  @Test
  void aChangeByAnotherWriterIsReReadAndTheCountIsNotLost() {
    record(signal("checkout")).join();
    String name = store.all().getFirst().name();
    store.freezeCache();
    store.changeByOtherWriter(name, s -> withPhase(s, "Processing"));
    int listsBefore = store.readThroughs();
    int readsBefore = store.reads();

    Outcome repeat = record(signal("checkout")).join();

    assertThat(count(repeat)).isEqualTo(2);
    assertThat(store.reads() - readsBefore)
        .as("the changed incident read back by name")
        .isEqualTo(1);
    assertThat(store.readThroughs() - listsBefore).as("no full re-read to keep counting").isZero();
    assertThat(store.all())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.occurrenceCount()).isEqualTo(2);
              assertThat(s.phase()).isEqualTo("Processing");
            });
  }

  @Test
  void anIncidentThatEndedBehindAStaleCacheLeadsToANewIncident() {
    record(signal("checkout")).join();
    String name = store.all().getFirst().name();
    store.freezeCache();
    store.changeByOtherWriter(name, s -> withPhase(s, "Completed"));

    Outcome next = record(signal("checkout")).join();

    assertThat(next).isInstanceOf(Outcome.Created.class);
    assertThat(store.creates()).isEqualTo(2);
  }

  @Test
  void aDeletedIncidentLeadsToANewIncident() {
    record(signal("checkout")).join();
    store.freezeCache();
    store.delete(store.all().getFirst().name());

    assertThat(record(signal("checkout")).join()).isInstanceOf(Outcome.Created.class);
  }

  @Test
  void aNewIncidentIsOnlyOpenedAfterAnUncachedReadConfirmsNoneIsActive() {
    record(signal("checkout")).join();
    store.freezeCache();
    store.clearCache();

    Outcome next = record(signal("checkout")).join();

    assertThat(next).isInstanceOf(Outcome.Duplicate.class);
    assertThat(store.creates()).isEqualTo(1);
  }

  @Test
  void twoReplicasDecidingToOpenTheSameIncidentCollideOnItsNameAndBothCountOnIt() {
    IncidentRecorder otherReplica =
        new IncidentRecorder(
            store, CLOCK, new IncidentRecorder.GroupCommit(executor, 500, () -> {}, size -> {}));
    CountDownLatch bothReadyToCreate = new CountDownLatch(1);
    store.holdCreatesUntil(bothReadyToCreate);

    CompletableFuture<Outcome> first = record(signal("checkout"));
    CompletableFuture<Outcome> second =
        otherReplica.record(signal("checkout"), CLOCK.instant().plusSeconds(15));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> store.createAttempts() == 2);
    bothReadyToCreate.countDown();

    assertThat(List.of(first.join(), second.join()))
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactlyInAnyOrder("Created", "Duplicate");
    assertThat(store.creates()).isEqualTo(1);
    assertThat(store.createAttempts()).isEqualTo(2);
    assertThat(store.all())
        .singleElement()
        .satisfies(s -> assertThat(s.occurrenceCount()).isEqualTo(2));
  }

  @Test
  void afterAnIncidentEndsTheNextOneGetsTheNextSequence() {
    record(signal("checkout")).join();
    String name = store.all().getFirst().name();
    store.changeByOtherWriter(name, s -> withPhase(s, "Completed"));

    record(signal("checkout")).join();

    assertThat(store.all()).extracting(IncidentState::sequence).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void aReplicaThatReadsAClaimTakenAgainForADeletedIncidentDoesNotOpenTheNextBesideIt() {
    IncidentRecorder otherReplica =
        new IncidentRecorder(
            store, CLOCK, new IncidentRecorder.GroupCommit(executor, 500, () -> {}, size -> {}));
    record(signal("checkout")).join();
    String first = store.all().getFirst().name();
    store.changeByOtherWriter(first, s -> withPhase(s, "Completed"));
    // After this replica listed the ended incident and before it reads the claim, the incident is
    // deleted and the other replica, which no longer sees it, claims its number again and opens
    // it anew: the claim this replica reads is on the number of the newest incident it listed.
    store.beforeNextClaimRead(
        () -> {
          store.delete(first);
          otherReplica.record(signal("checkout"), CLOCK.instant().plusSeconds(15)).join();
        });

    Outcome next = record(signal("checkout")).join();

    assertThat(next).isInstanceOf(Outcome.Duplicate.class);
    assertThat(store.all())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.sequence()).isEqualTo(1);
              assertThat(s.occurrenceCount()).isEqualTo(2);
            });
  }

  @Test
  void backendFailureFailsTheSignalSoTheSenderRetries() {
    store.failWith(new TransientBackendException("API server answered 503"));

    Outcome outcome = record(signal("checkout")).join();

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome).detail()).contains("503");
  }

  @Test
  void differentWorkloadsGetDifferentIncidents() {
    record(signal("checkout")).join();
    record(signal("payments")).join();

    assertThat(store.all()).hasSize(2);
  }

  static Signal signal(String deployment) {
    InboundSignal inbound =
        new InboundSignal(
            "prometheus",
            "KubePodCrashLooping",
            "critical",
            "",
            List.of(ResourceRef.of("Pod", "demo", deployment + "-abc")),
            Map.of("alertname", "KubePodCrashLooping"),
            Map.of(),
            CLOCK.instant(),
            CLOCK.instant(),
            "{}");
    return Signal.resolved(inbound, ResourceRef.of("Deployment", "demo", deployment));
  }

  private static int count(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Created c -> c.occurrences().count();
      case Outcome.Duplicate d -> d.occurrences().count();
      default -> throw new AssertionError("unexpected " + outcome);
    };
  }

  private static IncidentState withPhase(IncidentState s, String phase) {
    return new IncidentState(
        s.name(),
        s.namespace(),
        s.resourceVersion(),
        s.fingerprint(),
        s.sequence(),
        s.createdAt(),
        phase,
        s.outcome(),
        s.nextAllowedExecution(),
        s.occurrences());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
