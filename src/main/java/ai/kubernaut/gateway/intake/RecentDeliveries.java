package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Remembers, for a window counted from a delivery's first arrival, what each signal of a recently
 * answered request became. When a sender delivers a byte-identical body again (Alertmanager
 * retrying a webhook whose answer it did not see, or retrying a batch of which some alerts failed),
 * the signals already recorded are answered with their recorded result instead of being counted a
 * second time.
 *
 * <p>An identical delivery that arrives while the first is still being processed waits for it
 * (within its own deadline) and then shares its answers; when the first recorded nothing, the next
 * one processes the body itself. Only one delivery of a key is processed at a time.
 *
 * <p>The answers are held by an {@link AnswerMemory} bounded by an estimate of their bytes. A
 * replay never moves a delivery's time, so the window does not slide.
 */
final class RecentDeliveries {

  /**
   * One delivery being answered.
   *
   * @param known what earlier deliveries recorded for each signal; null where nothing is known
   * @param leads true when this delivery must process the unknown signals and then {@link
   *     RecentDeliveries#finish} it
   */
  record Delivery(Key key, RecordedAnswer[] known, boolean leads) {

    long replayed() {
      long n = 0;
      for (RecordedAnswer a : known) {
        if (a != null) {
          n++;
        }
      }
      return n;
    }
  }

  /** A delivery's identity: who sent it, and a digest of the sender, route and exact body bytes. */
  record Key(String sender, String digest) {}

  private final Clock clock;
  private final AnswerMemory memory;
  private final Map<Key, CompletableFuture<Void>> inFlight = new HashMap<>();
  private final Map<Key, Instant> firstArrivals = new HashMap<>();

  /**
   * @param onEviction called when a delivery is forgotten before its window ended
   */
  RecentDeliveries(Clock clock, Duration window, long maxBytes, Runnable onEviction) {
    this.clock = clock;
    this.memory = new AnswerMemory(clock, window, maxBytes, onEviction);
  }

  /**
   * Identifies a delivery: who sent it, to which route, and a digest of the exact body bytes.
   *
   * @param sender the authenticated sender, or a constant when senders are not authenticated
   */
  static Key key(String sender, String route, byte[] body) {
    return new Key(
        sender,
        Sha256.hexOfParts(
            sender.getBytes(StandardCharsets.UTF_8), route.getBytes(StandardCharsets.UTF_8), body));
  }

  /**
   * Starts answering a delivery of {@code size} signals: at once when every signal is known or
   * nobody else is processing this body, else after the delivery being processed has finished.
   *
   * @return empty when {@code deadline} passed while waiting for another delivery of the body
   */
  Optional<Delivery> begin(Key key, int size, Instant deadline) {
    while (true) {
      CompletableFuture<Void> running;
      synchronized (this) {
        RecordedAnswer[] known = memory.lookup(key, size);
        if (allKnown(known)) {
          return Optional.of(new Delivery(key, known, false));
        }
        running = inFlight.get(key);
        if (running == null) {
          inFlight.put(key, new CompletableFuture<>());
          firstArrivals.putIfAbsent(key, clock.instant());
          return Optional.of(new Delivery(key, known, true));
        }
      }
      if (!waitFor(running, deadline)) {
        return Optional.empty();
      }
    }
  }

  /**
   * Ends a delivery that {@linkplain Delivery#leads leads}: remembers the answers it holds (also
   * when it ended early) and lets the next identical delivery go on.
   */
  void finish(Delivery delivery, RecordedAnswer[] answers) {
    if (!delivery.leads()) {
      return;
    }
    CompletableFuture<Void> done;
    synchronized (this) {
      try {
        Instant arrival = firstArrivals.remove(delivery.key());
        memory.remember(delivery.key(), answers, arrival == null ? clock.instant() : arrival);
      } finally {
        done = inFlight.remove(delivery.key());
      }
    }
    if (done != null) {
      done.complete(null);
    }
  }

  /** The estimated bytes held; for tests. */
  synchronized long bytes() {
    return memory.bytes();
  }

  /** The number of deliveries remembered; for tests. */
  synchronized int size() {
    return memory.size();
  }

  private boolean waitFor(CompletableFuture<Void> running, Instant deadline) {
    long left = Duration.between(clock.instant(), deadline).toMillis();
    if (left <= 0) {
      return false;
    }
    try {
      running.get(left, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  private static boolean allKnown(RecordedAnswer[] known) {
    for (RecordedAnswer a : known) {
      if (a == null) {
        return false;
      }
    }
    return known.length > 0;
  }
}
