package ai.kubernaut.gateway.signal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Serialises work per key and folds whatever queued up for a key while the previous batch ran into
 * the next batch. Work for one key never runs concurrently; different keys run in parallel. The map
 * holds a key only while it has queued or running work, so it empties itself.
 *
 * <p>An item can be withdrawn until its batch starts: cancelling the future {@link #submit}
 * returned succeeds only while the item is still queued, and a withdrawn item never runs. Once its
 * batch has started, cancelling fails and the future completes with the batch's real result.
 *
 * <p>A lone item runs at once. When items are already waiting as a batch finishes, the key is in a
 * burst: the queue pauses once ({@code burstPause}, a few milliseconds) so the rest of the burst
 * joins the next batch instead of trickling into many small ones.
 *
 * @param <K> the key, e.g. a fingerprint
 * @param <T> one unit of work
 * @param <R> the result of one unit
 */
public final class GroupCommitQueue<K, T, R> {

  /** Handles one batch for one key and returns one result per item, in order. */
  @FunctionalInterface
  public interface BatchHandler<K, T, R> {
    List<R> handle(K key, List<T> items);
  }

  /** A queued item and its result; cancelling it withdraws the item if it has not started. */
  private static final class Pending<T, R> extends CompletableFuture<R> {
    private static final int QUEUED = 0;
    private static final int STARTED = 1;
    private static final int WITHDRAWN = 2;

    private final T item;
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    Pending(T item) {
      this.item = item;
    }

    boolean start() {
      return state.compareAndSet(QUEUED, STARTED);
    }

    boolean withdraw() {
      return state.compareAndSet(QUEUED, WITHDRAWN);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return withdraw() && super.cancel(false);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  private final ConcurrentHashMap<K, ArrayDeque<Pending<T, R>>> lanes = new ConcurrentHashMap<>();
  private final BatchHandler<K, T, R> handler;
  private final Executor executor;
  private final int maxBatch;
  private final Runnable burstPause;
  private final Function<T, Optional<R>> expiry;

  /** A queue whose items never expire. */
  public GroupCommitQueue(
      BatchHandler<K, T, R> handler, Executor executor, int maxBatch, Runnable burstPause) {
    this(handler, executor, maxBatch, burstPause, item -> Optional.empty());
  }

  /**
   * @param expiry asked for every item as its batch is taken: an item for which it returns a result
   *     is not run and completes with that result (e.g. its sender's deadline has passed)
   */
  public GroupCommitQueue(
      BatchHandler<K, T, R> handler,
      Executor executor,
      int maxBatch,
      Runnable burstPause,
      Function<T, Optional<R>> expiry) {
    this.expiry = Objects.requireNonNull(expiry, "expiry");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.executor = Objects.requireNonNull(executor, "executor");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be positive");
    }
    this.maxBatch = maxBatch;
    this.burstPause = Objects.requireNonNull(burstPause, "burstPause");
  }

  /** A pause that parks the draining thread for {@code linger}; none when it is zero. */
  public static Runnable pauseFor(Duration linger) {
    long nanos = linger.toNanos();
    return nanos <= 0 ? () -> {} : () -> LockSupport.parkNanos(nanos);
  }

  /** Queues {@code item} behind any work already queued for {@code key}. */
  public CompletableFuture<R> submit(K key, T item) {
    return submit(key, item, null);
  }

  /**
   * Like {@link #submit(Object, Object)}, but when no work is queued or running for {@code key} the
   * calling thread runs the item's batch itself before returning, and the returned future is then
   * complete. That saves two thread hand-offs for the caller that would only wait for the result.
   * Whatever queues for the key meanwhile is left to the executor, so the caller waits for its own
   * batch only.
   *
   * @param here runs that batch on the calling thread before returning: {@code Runnable::run}, or
   *     one that wraps it (in a tracing span, say)
   */
  public CompletableFuture<R> submitAndRunIfIdle(K key, T item, Executor here) {
    return submit(key, item, Objects.requireNonNull(here, "here"));
  }

  private CompletableFuture<R> submit(K key, T item, Executor here) {
    Pending<T, R> pending = new Pending<>(item);
    boolean[] startDrain = {false};
    lanes.compute(
        key,
        (k, lane) -> {
          if (lane == null) {
            lane = new ArrayDeque<>();
            startDrain[0] = true;
          }
          lane.add(pending);
          return lane;
        });
    if (startDrain[0]) {
      if (here != null) {
        here.execute(() -> runFirstBatch(key));
      } else {
        handOver(key, () -> drain(key));
      }
    }
    return pending;
  }

  private void runFirstBatch(K key) {
    List<Pending<T, R>> batch = takeBatch(key);
    if (batch.isEmpty()) {
      return; // the item expired: takeBatch completed it and removed the lane
    }
    run(key, batch);
    if (!releaseIfIdle(key)) {
      handOver(
          key,
          () -> {
            pauseIfBursting(key);
            drain(key);
          });
    }
  }

  /**
   * Hands the key's lane to the executor; one that refuses (it is shut down) leaves it to the
   * calling thread, so that what is queued is still run and the lane is not left behind.
   */
  private void handOver(K key, Runnable drainer) {
    try {
      executor.execute(drainer);
    } catch (RejectedExecutionException e) {
      drain(key);
    }
  }

  /** Removes the key's lane if nothing queued meanwhile; false when work is waiting. */
  private boolean releaseIfIdle(K key) {
    boolean[] idle = {false};
    lanes.computeIfPresent(
        key,
        (k, lane) -> {
          idle[0] = lane.isEmpty();
          return idle[0] ? null : lane;
        });
    return idle[0];
  }

  /** Keys with queued or running work; exposed for metrics. */
  public int activeKeys() {
    return lanes.size();
  }

  private void drain(K key) {
    List<Pending<T, R>> batch = takeBatch(key);
    while (!batch.isEmpty()) {
      run(key, batch);
      pauseIfBursting(key);
      batch = takeBatch(key);
    }
  }

  /** Items waiting as a batch finishes mean a burst: let the rest of it join the next batch. */
  private void pauseIfBursting(K key) {
    int waiting = queued(key);
    if (waiting > 0 && waiting < maxBatch) {
      burstPause.run();
    }
  }

  private int queued(K key) {
    int[] size = {0};
    lanes.computeIfPresent(
        key,
        (k, lane) -> {
          size[0] = lane.size();
          return lane;
        });
    return size[0];
  }

  /**
   * Takes the next batch; the lane stays registered (with an empty queue) while the batch runs so
   * that new submissions queue behind it instead of starting a second drainer. An empty take
   * removes the lane.
   */
  private List<Pending<T, R>> takeBatch(K key) {
    List<Pending<T, R>> batch = new ArrayList<>();
    lanes.computeIfPresent(
        key,
        (k, lane) -> {
          while (!lane.isEmpty() && batch.size() < maxBatch) {
            Pending<T, R> next = lane.poll();
            Optional<R> expired = expiry.apply(next.item);
            if (expired.isPresent()) {
              if (next.withdraw()) {
                next.complete(expired.get());
              }
            } else if (next.start()) {
              batch.add(next);
            }
          }
          return batch.isEmpty() ? null : lane;
        });
    return batch;
  }

  private void run(K key, List<Pending<T, R>> batch) {
    try {
      List<R> results = handler.handle(key, batch.stream().map(p -> p.item).toList());
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "handler returned " + results.size() + " results for " + batch.size() + " items");
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).complete(results.get(i));
      }
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> p.completeExceptionally(e));
    }
  }
}
