package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * <p>The memory is bounded by an estimate of the bytes its answers hold. When it is full, the
 * sender holding the most bytes forgets its oldest delivery: one sender posting many large bodies
 * shortens its own window, not anyone else's, and each sender keeps at least an equal share of the
 * budget. A replay never moves a delivery's time, so the window does not slide.
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

  private static final class Entry {
    final Instant firstArrival;
    RecordedAnswer[] answers;
    long bytes;

    Entry(Instant firstArrival, RecordedAnswer[] answers, long bytes) {
      this.firstArrival = firstArrival;
      this.answers = answers;
      this.bytes = bytes;
    }
  }

  /** Bytes one entry costs besides its answers: key, map node, array. */
  private static final long ENTRY_OVERHEAD = 256;

  private final Clock clock;
  private final Duration window;
  private final long maxBytes;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
  private final Map<String, SenderShare> senders = new HashMap<>();
  private final Map<Key, CompletableFuture<Void>> inFlight = new HashMap<>();
  private final Map<Key, Instant> firstArrivals = new HashMap<>();
  private final Runnable onEviction;
  private long bytes;

  /** What one sender holds, its deliveries oldest first. */
  private static final class SenderShare {
    final LinkedHashSet<Key> keys = new LinkedHashSet<>();
    long bytes;
  }

  /**
   * @param onEviction called when a delivery is forgotten before its window ended
   */
  RecentDeliveries(Clock clock, Duration window, long maxBytes, Runnable onEviction) {
    this.clock = clock;
    this.window = window;
    this.maxBytes = maxBytes;
    this.onEviction = onEviction;
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
        RecordedAnswer[] known = lookup(key, size);
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
        remember(delivery.key(), answers);
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
    return bytes;
  }

  /** The number of deliveries remembered; for tests. */
  synchronized int size() {
    return entries.size();
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

  private RecordedAnswer[] lookup(Key key, int size) {
    RecordedAnswer[] known = new RecordedAnswer[size];
    Entry entry = entries.get(key);
    if (entry != null && live(entry.firstArrival, clock.instant())) {
      System.arraycopy(entry.answers, 0, known, 0, Math.min(size, entry.answers.length));
    }
    return known;
  }

  private static boolean allKnown(RecordedAnswer[] known) {
    for (RecordedAnswer a : known) {
      if (a == null) {
        return false;
      }
    }
    return known.length > 0;
  }

  private void remember(Key key, RecordedAnswer[] answers) {
    Instant now = clock.instant();
    Instant arrival = firstArrivals.remove(key);
    forgetExpired(now);
    Entry entry = entries.get(key);
    if (entry != null && !live(entry.firstArrival, now)) {
      drop(key);
      entry = null;
    }
    RecordedAnswer[] merged = answers.clone();
    if (entry != null) {
      for (int i = 0; i < merged.length && i < entry.answers.length; i++) {
        if (merged[i] == null) {
          merged[i] = entry.answers[i];
        }
      }
    }
    long size = ENTRY_OVERHEAD + 8L * merged.length;
    boolean any = false;
    for (RecordedAnswer a : merged) {
      if (a != null) {
        size += a.estimatedBytes();
        any = true;
      }
    }
    if (!any || size > maxBytes) {
      if (entry != null) {
        drop(key);
      }
      return;
    }
    SenderShare share = senders.computeIfAbsent(key.sender(), s -> new SenderShare());
    if (entry == null) {
      entries.put(key, new Entry(arrival == null ? now : arrival, merged, size));
      share.keys.add(key);
    } else {
      bytes -= entry.bytes;
      share.bytes -= entry.bytes;
      entry.answers = merged;
      entry.bytes = size;
    }
    bytes += size;
    share.bytes += size;
    while (bytes > maxBytes) {
      forgetOldestOf(largestShare());
    }
  }

  private void forgetExpired(Instant now) {
    Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<Key, Entry> next = oldest.next();
      if (live(next.getValue().firstArrival, now)) {
        break;
      }
      oldest.remove();
      release(next.getKey(), next.getValue());
    }
  }

  /** The sender holding the most bytes; the one to give way when the memory is full. */
  private SenderShare largestShare() {
    SenderShare largest = null;
    for (SenderShare share : senders.values()) {
      if (largest == null || share.bytes > largest.bytes) {
        largest = share;
      }
    }
    return largest;
  }

  private void forgetOldestOf(SenderShare share) {
    Key oldest = share.keys.iterator().next();
    drop(oldest);
    onEviction.run();
  }

  private void drop(Key key) {
    Entry removed = entries.remove(key);
    if (removed != null) {
      release(key, removed);
    }
  }

  private void release(Key key, Entry entry) {
    bytes -= entry.bytes;
    SenderShare share = senders.get(key.sender());
    share.bytes -= entry.bytes;
    share.keys.remove(key);
    if (share.keys.isEmpty()) {
      senders.remove(key.sender());
    }
  }

  private boolean live(Instant firstArrival, Instant now) {
    return firstArrival.plus(window).isAfter(now);
  }
}
