package ai.kubernaut.gateway.signal;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Withdraws queued signals whose request deadline passes, for all request threads at once, so that
 * a request thread waits for its signal without a timeout of its own. A timed wait makes a virtual
 * thread arm a timer of the JDK's scheduler and cancel it when woken, and each of the two wakes
 * that scheduler's thread: in a storm of duplicates, where most signals wait for the write of the
 * one before them, that was a twentieth of the gateway's CPU.
 *
 * <p>One platform thread sleeps until the earliest deadline watched. Deadlines are mostly watched
 * in the order they fall, so a new one rarely wakes it; one that leaves before it falls is only
 * removed.
 */
final class DeadlineSweeper {

  private static final Logger log = LoggerFactory.getLogger(DeadlineSweeper.class);

  // Orders the raw System.nanoTime values, which would misorder deadlines either side of a wrap of
  // the counter; HotSpot's counts from boot (CLOCK_MONOTONIC on Linux) and does not wrap.
  private static final Comparator<Watch> BY_DEADLINE =
      Comparator.comparingLong((Watch w) -> w.deadline).thenComparingLong(w -> w.sequence);

  private final ConcurrentSkipListMap<Watch, Boolean> watched =
      new ConcurrentSkipListMap<>(BY_DEADLINE);
  private final AtomicLong sequence = new AtomicLong();
  private final Thread sweeper;

  /** When the sweeper wakes next ({@link System#nanoTime}), unless {@link #idle}. */
  private volatile long wakeAt;

  /** Whether the sweeper sleeps until woken, with nothing watched. */
  private volatile boolean idle = true;

  DeadlineSweeper(String threadName) {
    sweeper = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    sweeper.start();
  }

  /**
   * Cancels {@code pending} (with {@code mayInterruptIfRunning} false, which withdraws a signal
   * only while it is queued) once {@code nanos} have passed, unless the returned watch is closed
   * before.
   */
  Watch withdrawAfter(CompletableFuture<?> pending, long nanos) {
    Watch watch = new Watch(this, pending, System.nanoTime() + nanos, sequence.incrementAndGet());
    watched.put(watch, Boolean.TRUE);
    if (idle || watch.deadline - wakeAt < 0) {
      LockSupport.unpark(sweeper);
    }
    return watch;
  }

  private void run() {
    while (true) {
      try {
        sweep();
      } catch (Throwable e) {
        // One thread serves every request of the process: were it to die, no queued signal would
        // be withdrawn at its deadline again. The watch whose cancel failed is already removed.
        log.error("withdrawing signals at their deadline failed", e);
      }
    }
  }

  /** Expires what is due, then sleeps until the next deadline or until woken. */
  private void sweep() {
    // nothing stops the sweeper, and an interrupt left set would make it spin instead of parking
    Thread.interrupted();
    Watch first = expireDue();
    wakeAt = first == null ? 0 : first.deadline;
    idle = first == null;
    // a watch added before the two writes above did not see them and may not have woken us
    if (first() != first) {
      return;
    }
    if (first == null) {
      LockSupport.park(this);
    } else {
      LockSupport.parkNanos(this, first.deadline - System.nanoTime());
    }
  }

  /** Cancels every watch whose deadline has passed; the earliest left, or null. */
  private Watch expireDue() {
    Watch first;
    while ((first = first()) != null && first.deadline - System.nanoTime() <= 0) {
      if (watched.remove(first) != null) {
        first.expire();
      }
    }
    return first;
  }

  private Watch first() {
    Map.Entry<Watch, Boolean> first = watched.firstEntry();
    return first == null ? null : first.getKey();
  }

  /** A deadline being watched; closing it stops the watch. */
  static final class Watch implements AutoCloseable {
    private final DeadlineSweeper sweeper;
    private final CompletableFuture<?> pending;
    private final long deadline;
    private final long sequence;
    private volatile boolean expired;

    private Watch(DeadlineSweeper sweeper, CompletableFuture<?> pending, long deadline, long seq) {
      this.sweeper = sweeper;
      this.pending = pending;
      this.deadline = deadline;
      this.sequence = seq;
    }

    /**
     * Whether the deadline passed while watched: set before the future is cancelled, so a waiter
     * that sees its future cancelled also sees this.
     */
    boolean expired() {
      return expired;
    }

    private void expire() {
      expired = true;
      pending.cancel(false);
    }

    @Override
    public void close() {
      sweeper.watched.remove(this);
    }
  }
}
