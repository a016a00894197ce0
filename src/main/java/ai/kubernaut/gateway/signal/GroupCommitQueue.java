package ai.kubernaut.gateway.signal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Serialises work per key and folds whatever queued up for a key while the previous batch ran into
 * the next batch. Work for one key never runs concurrently; different keys run in parallel. The map
 * holds a key only while it has queued or running work, so it empties itself.
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

  private record Pending<T, R>(T item, CompletableFuture<R> result) {}

  private final ConcurrentHashMap<K, ArrayDeque<Pending<T, R>>> lanes = new ConcurrentHashMap<>();
  private final BatchHandler<K, T, R> handler;
  private final Executor executor;
  private final int maxBatch;
  private final Runnable burstPause;

  public GroupCommitQueue(
      BatchHandler<K, T, R> handler, Executor executor, int maxBatch, Runnable burstPause) {
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
    Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
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
      executor.execute(() -> drain(key));
    }
    return pending.result();
  }

  /** Keys with queued or running work; exposed for metrics. */
  public int activeKeys() {
    return lanes.size();
  }

  private void drain(K key) {
    List<Pending<T, R>> batch = takeBatch(key);
    while (!batch.isEmpty()) {
      run(key, batch);
      int waiting = queued(key);
      if (waiting > 0 && waiting < maxBatch) {
        burstPause.run();
      }
      batch = takeBatch(key);
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
            batch.add(lane.poll());
          }
          return batch.isEmpty() ? null : lane;
        });
    return batch;
  }

  private void run(K key, List<Pending<T, R>> batch) {
    try {
      List<R> results = handler.handle(key, batch.stream().map(Pending::item).toList());
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            "handler returned " + results.size() + " results for " + batch.size() + " items");
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results.get(i));
      }
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
    }
  }
}
