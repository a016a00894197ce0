package ai.kubernaut.gateway.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntConsumer;

/**
 * Stops sending writes to an API server that is failing, with the Go Gateway's thresholds: it opens
 * when, within the last 10 seconds, at least 10 writes were made and half of them failed
 * transiently; after 30 seconds it lets 3 trial writes through and closes again when they succeed.
 * Conflicts and other definite answers are successes here: the server is working.
 *
 * <p>Not resilience4j's breaker: it has the same window, minimum calls, ratio, open time and trial
 * count, but judges the trial calls by the same failure ratio (one failure of three closes it
 * again) where the Go Gateway's gobreaker reopens on any failed trial.
 */
final class WriteCircuitBreaker {

  /** Gauge values, as the Go Gateway reports them. */
  static final int CLOSED = 0;

  static final int HALF_OPEN = 1;
  static final int OPEN = 2;

  private static final int BUCKETS = 10;

  private final Clock clock;
  private final int minimumCalls;
  private final double failureRatio;
  private final Duration openFor;
  private final int trialCalls;
  private final IntConsumer onStateChange;
  private final long[] bucketSecond = new long[BUCKETS];
  private final int[] calls = new int[BUCKETS];
  private final int[] failures = new int[BUCKETS];
  private int state = CLOSED;
  private Instant openUntil = Instant.MIN;
  private int trialsStarted;
  private int trialsSucceeded;

  WriteCircuitBreaker(Clock clock, IntConsumer onStateChange) {
    this(clock, 10, 0.5, Duration.ofSeconds(30), 3, onStateChange);
  }

  WriteCircuitBreaker(
      Clock clock,
      int minimumCalls,
      double failureRatio,
      Duration openFor,
      int trialCalls,
      IntConsumer onStateChange) {
    this.clock = clock;
    this.minimumCalls = minimumCalls;
    this.failureRatio = failureRatio;
    this.openFor = openFor;
    this.trialCalls = trialCalls;
    this.onStateChange = onStateChange;
    onStateChange.accept(CLOSED);
  }

  /** Whether a write may be sent now; when false the caller must not send it. */
  synchronized boolean tryAcquire() {
    if (state == OPEN) {
      if (clock.instant().isBefore(openUntil)) {
        return false;
      }
      trialsStarted = 0;
      trialsSucceeded = 0;
      transition(HALF_OPEN);
    }
    if (state == HALF_OPEN) {
      if (trialsStarted >= trialCalls) {
        return false;
      }
      trialsStarted++;
    }
    return true;
  }

  synchronized void recordSuccess() {
    if (state == HALF_OPEN) {
      if (++trialsSucceeded >= trialCalls) {
        clearWindow();
        transition(CLOSED);
      }
      return;
    }
    count(false);
  }

  synchronized void recordFailure() {
    if (state == HALF_OPEN) {
      open();
      return;
    }
    count(true);
    int total = 0;
    int failed = 0;
    long now = clock.millis() / 1000;
    for (int i = 0; i < BUCKETS; i++) {
      if (now - bucketSecond[i] < BUCKETS) {
        total += calls[i];
        failed += failures[i];
      }
    }
    if (state == CLOSED && total >= minimumCalls && failed >= total * failureRatio) {
      open();
    }
  }

  synchronized int state() {
    return state;
  }

  /** How long until trial writes are let through again. */
  synchronized Duration retryAfter() {
    Duration left = Duration.between(clock.instant(), openUntil);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private void count(boolean failed) {
    long second = clock.millis() / 1000;
    int slot = (int) (second % BUCKETS);
    if (bucketSecond[slot] != second) {
      bucketSecond[slot] = second;
      calls[slot] = 0;
      failures[slot] = 0;
    }
    calls[slot]++;
    if (failed) {
      failures[slot]++;
    }
  }

  private void open() {
    openUntil = clock.instant().plus(openFor);
    clearWindow();
    transition(OPEN);
  }

  private void clearWindow() {
    java.util.Arrays.fill(calls, 0);
    java.util.Arrays.fill(failures, 0);
  }

  private void transition(int next) {
    if (state != next) {
      state = next;
      onStateChange.accept(next);
    }
  }
}
