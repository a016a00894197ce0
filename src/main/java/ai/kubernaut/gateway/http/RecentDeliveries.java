package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.signal.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * <p>The memory is bounded by an estimate of the bytes its answers hold; the oldest deliveries are
 * forgotten first. A replay never moves a delivery's time, so the window does not slide.
 */
final class RecentDeliveries {

  /**
   * One delivery being answered.
   *
   * @param known what earlier deliveries recorded for each signal; null where nothing is known
   * @param leads true when this delivery must process the unknown signals and then {@link
   *     RecentDeliveries#finish} it
   */
  record Delivery(String key, RecordedAnswer[] known, boolean leads) {

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
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Void>> inFlight = new HashMap<>();
  private final Map<String, Instant> firstArrivals = new HashMap<>();
  private long bytes;

  RecentDeliveries(Clock clock, Duration window, long maxBytes) {
    this.clock = clock;
    this.window = window;
    this.maxBytes = maxBytes;
  }

  /**
   * Identifies a delivery: who sent it, to which route, and a digest of the exact body bytes.
   *
   * @param sender the authenticated sender, or a constant when senders are not authenticated
   */
  static String key(String sender, String route, byte[] body) {
    return Sha256.hexOfParts(
        sender.getBytes(StandardCharsets.UTF_8), route.getBytes(StandardCharsets.UTF_8), body);
  }

  /**
   * Starts answering a delivery of {@code size} signals: at once when every signal is known or
   * nobody else is processing this body, else after the delivery being processed has finished.
   *
   * @return empty when {@code deadline} passed while waiting for another delivery of the body
   */
  Optional<Delivery> begin(String key, int size, Instant deadline) {
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

  private RecordedAnswer[] lookup(String key, int size) {
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

  private void remember(String key, RecordedAnswer[] answers) {
    Instant now = clock.instant();
    Instant arrival = firstArrivals.remove(key);
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
    if (entry == null) {
      entries.put(key, new Entry(arrival == null ? now : arrival, merged, size));
    } else {
      bytes -= entry.bytes;
      entry.answers = merged;
      entry.bytes = size;
    }
    bytes += size;
    forgetOldest(now);
  }

  private void forgetOldest(Instant now) {
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (oldest.hasNext()) {
      Entry next = oldest.next().getValue();
      if (bytes > maxBytes || !live(next.firstArrival, now)) {
        bytes -= next.bytes;
        oldest.remove();
      } else {
        break;
      }
    }
  }

  private void drop(String key) {
    Entry removed = entries.remove(key);
    if (removed != null) {
      bytes -= removed.bytes;
    }
  }

  private boolean live(Instant firstArrival, Instant now) {
    return firstArrival.plus(window).isAfter(now);
  }
}
