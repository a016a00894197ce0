package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.signal.TransientBackendException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExpiringLookupsTest {

  final MutableClock clock = new MutableClock();
  final ExpiringLookups<String, Boolean> lookups =
      new ExpiringLookups<>(clock, Duration.ofSeconds(30), 3);
  final AtomicInteger loads = new AtomicInteger();

  @Test
  void anAnswerIsRememberedUntilItExpires() {
    assertThat(lookups.get("a", this::exists)).isTrue();
    clock.advance(Duration.ofSeconds(29));
    assertThat(lookups.get("a", this::exists)).isTrue();
    assertThat(loads).hasValue(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(lookups.get("a", this::exists)).isTrue();
    assertThat(loads).hasValue(2);
  }

  @Test
  void aNotFoundAnswerIsRememberedToo() {
    lookups.get("gone", k -> load(false));
    lookups.get("gone", k -> load(false));

    assertThat(loads).hasValue(1);
  }

  @Test
  void aFailedLoadIsNotRemembered() {
    assertThatThrownBy(
            () ->
                lookups.get(
                    "a",
                    k -> {
                      loads.incrementAndGet();
                      throw new TransientBackendException("API answered 503");
                    }))
        .isInstanceOf(TransientBackendException.class);

    assertThat(lookups.get("a", this::exists)).isTrue();
    assertThat(loads).hasValue(2);
  }

  @Test
  void withAZeroTimeToLiveNoAnswerIsRemembered() {
    ExpiringLookups<String, Boolean> sharedOnly = new ExpiringLookups<>(clock, Duration.ZERO, 3);

    sharedOnly.get("gone", k -> load(false));
    sharedOnly.get("gone", k -> load(false));

    assertThat(loads).hasValue(2);
    assertThat(sharedOnly.size()).isZero();
  }

  @Test
  void theNumberOfAnswersIsBounded() {
    for (String key : List.of("a", "b", "c", "d", "e")) {
      lookups.get(key, this::exists);
    }

    assertThat(lookups.size()).isEqualTo(3);
  }

  @Test
  void concurrentLookupsOfOneKeyShareOneLoad() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> first =
        CompletableFuture.supplyAsync(
            () ->
                lookups.get(
                    "a",
                    k -> {
                      loading.countDown();
                      await(release);
                      return load(true);
                    }));
    assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Boolean>> waiters =
        IntStream.range(0, 4)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> lookups.get("a", this::exists)))
            .toList();

    Thread.sleep(100);
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<Boolean> waiter : waiters) {
      assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(loads).hasValue(1);
  }

  private Boolean exists(String key) {
    return load(true);
  }

  private Boolean load(boolean answer) {
    loads.incrementAndGet();
    return answer;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-21T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
