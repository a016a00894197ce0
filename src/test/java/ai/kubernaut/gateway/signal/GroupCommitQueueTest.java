package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitQueueTest {

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void itemsQueuedWhileABatchRunsAreHandledTogetherInTheNextBatch() {
    CountDownLatch firstBatchRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>(
            (key, items) -> {
              batchSizes.add(items.size());
              firstBatchRunning.countDown();
              awaitLatch(release);
              return items;
            },
            executor,
            100,
            () -> {});

    CompletableFuture<Integer> first = queue.submit("fp", 0);
    awaitLatch(firstBatchRunning);
    List<CompletableFuture<Integer>> rest = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      rest.add(queue.submit("fp", i));
    }
    release.countDown();

    assertThat(first.join()).isZero();
    assertThat(rest.stream().map(CompletableFuture::join).toList())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(batchSizes).containsExactly(1, 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> queue.activeKeys() == 0);
  }

  @Test
  void aBurstPausesOnceSoLateArrivalsJoinTheNextBatch() {
    CountDownLatch firstBatchRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>(
            (key, items) -> {
              batchSizes.add(items.size());
              firstBatchRunning.countDown();
              awaitLatch(release);
              return items;
            },
            executor,
            100,
            () -> {
              paused.countDown();
              awaitLatch(resume);
            });

    queue.submit("fp", 0);
    awaitLatch(firstBatchRunning);
    List<CompletableFuture<Integer>> burst = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      burst.add(queue.submit("fp", i));
    }
    release.countDown();
    awaitLatch(paused);
    for (int i = 4; i <= 9; i++) {
      burst.add(queue.submit("fp", i));
    }
    resume.countDown();

    assertThat(burst.stream().map(CompletableFuture::join).toList())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(batchSizes).containsExactly(1, 9);
  }

  @Test
  void aLoneItemDoesNotPause() {
    AtomicInteger pauses = new AtomicInteger();
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>((key, items) -> items, executor, 100, pauses::incrementAndGet);

    assertThat(queue.submit("fp", 1).join()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> queue.activeKeys() == 0);
    assertThat(queue.submit("fp", 2).join()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> queue.activeKeys() == 0);

    assertThat(pauses).hasValue(0);
  }

  @Test
  void oneKeyNeverRunsConcurrentlyButDifferentKeysDo() throws Exception {
    AtomicInteger runningForA = new AtomicInteger();
    AtomicInteger maxForA = new AtomicInteger();
    CountDownLatch bothKeysRunning = new CountDownLatch(2);
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>(
            (key, items) -> {
              if (key.equals("a")) {
                maxForA.accumulateAndGet(runningForA.incrementAndGet(), Math::max);
              }
              bothKeysRunning.countDown();
              try {
                bothKeysRunning.await(5, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              if (key.equals("a")) {
                runningForA.decrementAndGet();
              }
              return items;
            },
            executor,
            1,
            () -> {});

    List<CompletableFuture<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      futures.add(queue.submit("a", i));
    }
    futures.add(queue.submit("b", 99));
    futures.forEach(CompletableFuture::join);

    assertThat(maxForA.get()).isEqualTo(1);
    assertThat(bothKeysRunning.getCount()).isZero();
  }

  @Test
  void aFailingBatchFailsOnlyItsOwnItems() {
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>(
            (key, items) -> {
              if (key.equals("bad")) {
                throw new IllegalStateException("boom");
              }
              return items;
            },
            executor,
            10,
            () -> {});

    assertThat(queue.submit("bad", 1)).failsWithin(Duration.ofSeconds(5));
    assertThat(queue.submit("good", 2).join()).isEqualTo(2);
  }

  @Test
  void anItemOfAnIdleKeyRunsOnTheSubmittingThreadAndIsCompleteOnReturn() {
    List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>(
            (key, items) -> {
              ranOn.add(Thread.currentThread());
              return items;
            },
            executor,
            100,
            () -> {});

    CompletableFuture<Integer> result = queue.submitAndRunIfIdle("fp", 7, Runnable::run);

    assertThat(result).isCompletedWithValue(7);
    assertThat(ranOn).containsExactly(Thread.currentThread());
    assertThat(queue.activeKeys()).isZero();
  }

  @Test
  void whatQueuesWhileTheSubmittingThreadRunsItsBatchIsLeftToTheExecutor() throws Exception {
    CountDownLatch callerBatchRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> ranOn = Collections.synchronizedList(new ArrayList<>());
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>(
            (key, items) -> {
              ranOn.add(Thread.currentThread());
              batchSizes.add(items.size());
              callerBatchRunning.countDown();
              awaitLatch(release);
              return items;
            },
            executor,
            100,
            () -> {});
    Thread caller =
        Thread.ofVirtual().unstarted(() -> queue.submitAndRunIfIdle("fp", 0, Runnable::run).join());

    caller.start();
    awaitLatch(callerBatchRunning);
    // a second caller meets the key busy: it queues instead of running anything itself
    CompletableFuture<Integer> queued = queue.submitAndRunIfIdle("fp", 1, Runnable::run);
    CompletableFuture<Integer> another = queue.submit("fp", 2);
    assertThat(queued).isNotDone();
    release.countDown();
    caller.join(Duration.ofSeconds(5));

    assertThat(caller.isAlive()).isFalse();
    assertThat(queued.join()).isEqualTo(1);
    assertThat(another.join()).isEqualTo(2);
    assertThat(batchSizes).containsExactly(1, 2);
    assertThat(ranOn.get(0)).isSameAs(caller);
    assertThat(ranOn.get(1)).isNotSameAs(caller).isNotSameAs(Thread.currentThread());
    await().atMost(Duration.ofSeconds(30)).until(() -> queue.activeKeys() == 0);
  }

  @Test
  void anExpiredItemOfAnIdleKeyIsAnsweredWithoutRunning() {
    AtomicInteger batches = new AtomicInteger();
    GroupCommitQueue<String, Integer, Integer> queue =
        new GroupCommitQueue<>(
            (key, items) -> {
              batches.incrementAndGet();
              return items;
            },
            executor,
            100,
            () -> {},
            item -> item < 0 ? Optional.of(-1) : Optional.empty());

    assertThat(queue.submitAndRunIfIdle("fp", -5, Runnable::run)).isCompletedWithValue(-1);
    assertThat(batches).hasValue(0);
    assertThat(queue.activeKeys()).isZero();
    assertThat(queue.submitAndRunIfIdle("fp", 3, Runnable::run)).isCompletedWithValue(3);
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
