package ai.kubernaut.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecentDeliveriesTest {

  static final Duration WINDOW = Duration.ofMinutes(2);
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  final Instant deadline = clock.instant().plusSeconds(15);
  final java.util.concurrent.atomic.AtomicInteger evictions =
      new java.util.concurrent.atomic.AtomicInteger();

  static RecentDeliveries.Key key(String body) {
    return key("alertmanager", body);
  }

  static RecentDeliveries.Key key(String sender, String body) {
    return new RecentDeliveries.Key(sender, body);
  }

  static RecordedAnswer created(String name) {
    return new RecordedAnswer(
        201,
        "f".repeat(64),
        name,
        "kubernaut-system",
        1,
        Instant.EPOCH,
        Instant.EPOCH,
        "",
        null,
        false,
        false);
  }

  static RecordedAnswer unmanaged(String node) {
    return new RecordedAnswer(
        200,
        "",
        "",
        "",
        0,
        null,
        null,
        "unmanaged_resource",
        ResourceRef.of("Node", "", node),
        false,
        false);
  }

  @Test
  void anIdenticalDeliveryArrivingWhileTheFirstIsInFlightWaitsAndSharesItsAnswers() {
    RecentDeliveries deliveries =
        new RecentDeliveries(clock, WINDOW, 1 << 20, evictions::incrementAndGet);
    var first = deliveries.begin(key("k"), 1, deadline).orElseThrow();
    assertThat(first.leads()).isTrue();

    AtomicReference<Thread> waiter = new AtomicReference<>();
    CompletableFuture<Optional<RecentDeliveries.Delivery>> second =
        CompletableFuture.supplyAsync(
            () -> {
              waiter.set(Thread.currentThread());
              return deliveries.begin(key("k"), 1, deadline);
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                waiter.get() != null
                    && waiter.get().getState() == Thread.State.TIMED_WAITING
                    && !second.isDone());

    RecordedAnswer answer = created("rr-1");
    deliveries.finish(first, new RecordedAnswer[] {answer});

    var shared = second.join().orElseThrow();
    assertThat(shared.leads()).isFalse();
    assertThat(shared.known()).containsExactly(answer);
    assertThat(shared.replayed()).isEqualTo(1);
  }

  @Test
  void aWaiterGivesUpAtItsDeadline() {
    RecentDeliveries deliveries =
        new RecentDeliveries(clock, WINDOW, 1 << 20, evictions::incrementAndGet);
    deliveries.begin(key("k"), 1, deadline).orElseThrow();

    assertThat(deliveries.begin(key("k"), 1, clock.instant())).isEmpty();
  }

  @Test
  void aFirstDeliveryThatRecordedNothingLeavesTheNextFreeToProcess() {
    RecentDeliveries deliveries =
        new RecentDeliveries(clock, WINDOW, 1 << 20, evictions::incrementAndGet);
    var first = deliveries.begin(key("k"), 2, deadline).orElseThrow();
    deliveries.finish(first, new RecordedAnswer[2]);

    var next = deliveries.begin(key("k"), 2, deadline).orElseThrow();
    assertThat(next.leads()).isTrue();
    assertThat(next.known()).containsOnlyNulls();
  }

  @Test
  void aPartlyRecordedDeliveryLeavesOnlyTheUnrecordedSignalsToTheNext() {
    RecentDeliveries deliveries =
        new RecentDeliveries(clock, WINDOW, 1 << 20, evictions::incrementAndGet);
    var first = deliveries.begin(key("k"), 2, deadline).orElseThrow();
    RecordedAnswer recorded = created("rr-1");
    deliveries.finish(first, new RecordedAnswer[] {recorded, null});

    var retry = deliveries.begin(key("k"), 2, deadline).orElseThrow();
    assertThat(retry.leads()).isTrue();
    assertThat(retry.known()).containsExactly(recorded, null);
    RecordedAnswer second = created("rr-2");
    deliveries.finish(retry, new RecordedAnswer[] {recorded, second});

    var replay = deliveries.begin(key("k"), 2, deadline).orElseThrow();
    assertThat(replay.leads()).isFalse();
    assertThat(replay.known()).containsExactly(recorded, second);
  }

  @Test
  void replaysDoNotMoveTheWindowWhichRunsFromTheFirstDelivery() {
    RecentDeliveries deliveries =
        new RecentDeliveries(clock, WINDOW, 1 << 20, evictions::incrementAndGet);
    var first = deliveries.begin(key("k"), 1, deadline).orElseThrow();
    deliveries.finish(first, new RecordedAnswer[] {created("rr-1")});

    clock.advance(Duration.ofSeconds(90));
    assertThat(deliveries.begin(key("k"), 1, clock.instant().plusSeconds(15)).orElseThrow().leads())
        .isFalse();
    clock.advance(Duration.ofSeconds(31));

    var late = deliveries.begin(key("k"), 1, clock.instant().plusSeconds(15)).orElseThrow();
    assertThat(late.leads()).isTrue();
    assertThat(late.known()).containsOnlyNulls();
  }

  @Test
  void theMemoryStaysWithinItsByteBudgetForgettingTheOldestFirst() {
    long budget = 2L * 1024 * 1024;
    RecentDeliveries deliveries =
        new RecentDeliveries(clock, WINDOW, budget, evictions::incrementAndGet);
    RecordedAnswer[] thousand = new RecordedAnswer[1000];
    for (int i = 0; i < thousand.length; i++) {
      thousand[i] = unmanaged("n".repeat(253));
    }
    for (int body = 0; body < 200; body++) {
      var d = deliveries.begin(key("body-" + body), 1000, deadline).orElseThrow();
      deliveries.finish(d, thousand);
      assertThat(deliveries.bytes()).isLessThanOrEqualTo(budget);
    }

    assertThat(deliveries.size()).isBetween(1, 199);
    assertThat(deliveries.begin(key("body-199"), 1000, deadline).orElseThrow().leads()).isFalse();
    assertThat(deliveries.begin(key("body-0"), 1000, deadline).orElseThrow().leads()).isTrue();
  }

  @Test
  void theKeyDependsOnTheSenderRouteAndBody() {
    byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    RecentDeliveries.Key alice = RecentDeliveries.key("alice", "/r", body);

    assertThat(RecentDeliveries.key("alice", "/r", body)).isEqualTo(alice);
    assertThat(RecentDeliveries.key("bob", "/r", body)).isNotEqualTo(alice);
    assertThat(RecentDeliveries.key("alice", "/s", body)).isNotEqualTo(alice);
    assertThat(RecentDeliveries.key("alice", "/r", new byte[] {1})).isNotEqualTo(alice);
  }

  @Test
  void aHeavySenderForgetsItsOwnDeliveriesNotAnotherSendersWithinItsWindow() {
    long budget = 2L * 1024 * 1024;
    RecentDeliveries deliveries =
        new RecentDeliveries(clock, WINDOW, budget, evictions::incrementAndGet);
    var quiet = deliveries.begin(key("alertmanager", "quiet"), 1, deadline).orElseThrow();
    RecordedAnswer quietAnswer = created("rr-quiet");
    deliveries.finish(quiet, new RecordedAnswer[] {quietAnswer});
    RecordedAnswer[] thousand = new RecordedAnswer[1000];
    for (int i = 0; i < thousand.length; i++) {
      thousand[i] = unmanaged("n".repeat(253));
    }

    for (int body = 0; body < 200; body++) {
      clock.advance(Duration.ofMillis(100));
      var heavy = deliveries.begin(key("noisy", "body-" + body), 1000, deadline).orElseThrow();
      deliveries.finish(heavy, thousand);
      assertThat(deliveries.bytes()).isLessThanOrEqualTo(budget);
    }

    assertThat(evictions.get()).isPositive();
    assertThat(deliveries.begin(key("noisy", "body-0"), 1000, deadline).orElseThrow().leads())
        .as("the heavy sender's oldest delivery gave way")
        .isTrue();
    var replay = deliveries.begin(key("alertmanager", "quiet"), 1, deadline).orElseThrow();
    assertThat(replay.leads()).as("the quiet sender's delivery is still remembered").isFalse();
    assertThat(replay.known()).containsExactly(quietAnswer);
  }
}
