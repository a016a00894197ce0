package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.signal.TransientBackendException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedLoadsTest {

  final SharedLoads<String, Boolean> loads = new SharedLoads<>();
  final AtomicInteger calls = new AtomicInteger();
  final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void aLoadThatHasAnsweredIsNotRemembered() {
    loads.get("gone", k -> load(false));
    loads.get("gone", k -> load(false));

    assertThat(calls).hasValue(2);
  }

  @Test
  void concurrentLoadsOfOneKeyShareOneCall() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> first =
        CompletableFuture.supplyAsync(
            () ->
                loads.get(
                    "a",
                    k -> {
                      loading.countDown();
                      awaitLatch(release);
                      return load(true);
                    }),
            threads);
    assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Boolean>> waiters =
        IntStream.range(0, 4)
            .mapToObj(
                i -> CompletableFuture.supplyAsync(() -> loads.get("a", k -> load(true)), threads))
            .toList();
    await().atMost(Duration.ofSeconds(30)).until(() -> loads.shared() == 4);

    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<Boolean> waiter : waiters) {
      assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(calls).hasValue(1);
  }

  @Test
  void aFailedCallFailsEveryCallerThatSharedItAndIsNotRemembered() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> first =
        CompletableFuture.supplyAsync(
            () ->
                loads.get(
                    "a",
                    k -> {
                      loading.countDown();
                      awaitLatch(release);
                      calls.incrementAndGet();
                      throw new TransientBackendException("API answered 503");
                    }),
            threads);
    assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(() -> loads.get("a", k -> load(true)), threads);
    await().atMost(Duration.ofSeconds(30)).until(() -> loads.shared() == 1);

    release.countDown();

    assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TransientBackendException.class);
    assertThatThrownBy(() -> waiter.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TransientBackendException.class);
    assertThat(loads.get("a", k -> load(true))).isTrue();
    assertThat(calls).hasValue(2);
  }

  private Boolean load(boolean answer) {
    calls.incrementAndGet();
    return answer;
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
