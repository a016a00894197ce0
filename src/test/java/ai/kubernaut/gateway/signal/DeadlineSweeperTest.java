package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineSweeperTest {

  private static final Duration BOUND = Duration.ofSeconds(10);

  private static final AtomicInteger SWEEPERS = new AtomicInteger();

  private final String threadName = "test-deadlines-" + SWEEPERS.incrementAndGet();
  private final DeadlineSweeper sweeper = new DeadlineSweeper(threadName);

  @Test
  void cancelsTheFutureOnceItsDeadlinePasses() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    long started = System.nanoTime();

    DeadlineSweeper.Watch watch = sweeper.withdrawAfter(pending, millis(200));

    await().atMost(BOUND).until(pending::isCancelled);
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(millis(200));
    assertThat(watch.expired()).isTrue();
  }

  @Test
  void anEarlierDeadlineWakesTheSweeperSleepingUntilALaterOne() {
    CompletableFuture<String> later = new CompletableFuture<>();
    CompletableFuture<String> earlier = new CompletableFuture<>();
    sweeper.withdrawAfter(later, TimeUnit.HOURS.toNanos(1));
    await().atMost(BOUND).until(this::sweeperSleepsUntilADeadline);

    sweeper.withdrawAfter(earlier, millis(50));

    await().atMost(BOUND).until(earlier::isCancelled);
    assertThat(later).isNotDone();
  }

  @Test
  void aClosedWatchNeverCancels() {
    CompletableFuture<String> answered = new CompletableFuture<>();
    CompletableFuture<String> witness = new CompletableFuture<>();
    // Half a second: a thread stalled on a loaded machine before close() would otherwise see the
    // deadline pass first, and the test fail with nothing wrong.
    DeadlineSweeper.Watch watch = sweeper.withdrawAfter(answered, millis(500));
    sweeper.withdrawAfter(witness, millis(600));

    watch.close();

    await().atMost(BOUND).until(witness::isCancelled);
    assertThat(answered).as("its deadline passed before the witness's").isNotDone();
    assertThat(watch.expired()).isFalse();
  }

  @Test
  void aFutureAlreadyCompletedKeepsItsResultWhenItsDeadlinePasses() {
    CompletableFuture<String> writing = new CompletableFuture<>();
    // completed well before its deadline, however long this thread stalls in between
    DeadlineSweeper.Watch watch = sweeper.withdrawAfter(writing, millis(500));
    writing.complete("counted");

    await().atMost(BOUND).until(watch::expired);
    assertThat(writing).isCompletedWithValue("counted");
  }

  @Test
  void everyDeadlineWatchedFromManyThreadsPasses() throws Exception {
    List<CompletableFuture<String>> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      List<CompletableFuture<String>> mine = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        mine.add(new CompletableFuture<>());
      }
      all.addAll(mine);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (CompletableFuture<String> pending : mine) {
                      long nanos = millis(ThreadLocalRandom.current().nextInt(0, 300));
                      sweeper.withdrawAfter(pending, nanos);
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join(BOUND);
    }

    await().atMost(BOUND).until(() -> all.stream().allMatch(CompletableFuture::isCancelled));
  }

  /**
   * Watches closed as others are added, the earliest among them often, while the sweeper sleeps
   * until a deadline that has gone or computes its next wake: every one left open is withdrawn, no
   * closed one is.
   */
  @Test
  void watchesClosedWhileOthersAreAddedNeverCancelAndTheRestAllPass() throws Exception {
    List<CompletableFuture<String>> open = new ArrayList<>();
    List<CompletableFuture<String>> closed = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<CompletableFuture<String>> mineOpen = new ArrayList<>();
      List<CompletableFuture<String>> mineClosed = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        mineOpen.add(new CompletableFuture<>());
        mineClosed.add(new CompletableFuture<>());
      }
      open.addAll(mineOpen);
      closed.addAll(mineClosed);
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    // closed at least half a second before its deadline, however long this
                    // thread stalls between the two calls; open ones often come earlier
                    for (int i = 0; i < mineOpen.size(); i++) {
                      sweeper
                          .withdrawAfter(mineClosed.get(i), millis(random.nextInt(500, 1_000)))
                          .close();
                      sweeper.withdrawAfter(mineOpen.get(i), millis(random.nextInt(0, 1_000)));
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join(BOUND);
    }

    await().atMost(BOUND).until(() -> open.stream().allMatch(CompletableFuture::isCancelled));
    assertThat(closed).noneMatch(CompletableFuture::isDone);
  }

  /**
   * An Error can be thrown on the sweeper's thread as it withdraws a signal (an OutOfMemoryError
   * allocating the cancellation, say; the test throws another Error, which surefire's fork
   * survives). The one sweeper of the process must outlive it, or no queued signal is withdrawn at
   * its deadline again and their request threads wait past it.
   */
  @Test
  void aCancelThatThrowsDoesNotStopTheSweeperWithdrawingLaterDeadlines() {
    AtomicInteger cancels = new AtomicInteger();
    CompletableFuture<String> throwing =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            cancels.incrementAndGet();
            throw new StackOverflowError("withdrawing");
          }
        };
    sweeper.withdrawAfter(throwing, millis(10));
    await().atMost(BOUND).until(() -> cancels.get() == 1);

    CompletableFuture<String> later = new CompletableFuture<>();
    sweeper.withdrawAfter(later, millis(10));

    await().atMost(BOUND).until(later::isCancelled);
  }

  /**
   * A parked thread whose interrupt status is set does not park again: an interrupt of the sweeper
   * would leave it spinning on a core for the rest of the process.
   */
  @Test
  void anInterruptedSweeperClearsItsInterruptAndKeepsWithdrawing() {
    Thread thread = sweeperThread();
    await().atMost(BOUND).until(() -> thread.getState() == Thread.State.WAITING);

    thread.interrupt();

    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> assertThat(thread.isInterrupted()).as("left interrupted, it spins").isFalse());
    CompletableFuture<String> pending = new CompletableFuture<>();
    sweeper.withdrawAfter(pending, millis(10));
    await().atMost(BOUND).until(pending::isCancelled);
  }

  private Thread sweeperThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(threadName))
        .findFirst()
        .orElseThrow();
  }

  private boolean sweeperSleepsUntilADeadline() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t -> t.getName().equals(threadName) && t.getState() == Thread.State.TIMED_WAITING);
  }

  private static long millis(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
