package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.intake.RecentDeliveries.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The redelivery memory's answers, within a byte budget: when it is full, the sender holding the
 * most bytes forgets its oldest delivery, so one sender posting many large bodies shortens its own
 * window, not anyone else's. Not thread-safe: {@link RecentDeliveries} holds its lock around every
 * call.
 */
final class AnswerMemory {

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
  private final Runnable onEviction;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
  private final Map<String, SenderShare> senders = new HashMap<>();
  private long bytes;

  /** What one sender holds, its deliveries oldest first. */
  private static final class SenderShare {
    final LinkedHashSet<Key> keys = new LinkedHashSet<>();
    long bytes;
  }

  AnswerMemory(Clock clock, Duration window, long maxBytes, Runnable onEviction) {
    this.clock = clock;
    this.window = window;
    this.maxBytes = maxBytes;
    this.onEviction = onEviction;
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return entries.size();
  }

  /** What was recorded for each of a delivery's {@code size} signals; null where nothing is. */
  RecordedAnswer[] lookup(Key key, int size) {
    RecordedAnswer[] known = new RecordedAnswer[size];
    Entry entry = entries.get(key);
    if (entry != null && live(entry.firstArrival, clock.instant())) {
      System.arraycopy(entry.answers, 0, known, 0, Math.min(size, entry.answers.length));
    }
    return known;
  }

  /**
   * Remembers what a delivery first received at {@code arrival} recorded, merged with what was
   * known of it; forgets expired deliveries, and the largest sender's oldest while over budget.
   */
  void remember(Key key, RecordedAnswer[] answers, Instant arrival) {
    Instant now = clock.instant();
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
      entries.put(key, new Entry(arrival, merged, size));
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
