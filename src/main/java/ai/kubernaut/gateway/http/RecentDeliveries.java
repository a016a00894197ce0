package ai.kubernaut.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, for a short window, what each signal of a recently answered request became. When a
 * sender delivers a byte-identical body again (Alertmanager retrying a webhook whose answer it did
 * not see, or retrying a batch of which some alerts failed), the signals already recorded are
 * answered with their recorded result instead of being counted a second time.
 */
final class RecentDeliveries {

  /** The answer recorded for one signal: its single-signal response and its batch item. */
  record Recorded(int status, ProcessingResponse single, BatchResponse.Item item) {}

  private record Entry(Instant at, Recorded[] recorded) {}

  private final Clock clock;
  private final Duration window;
  private final int maxEntries;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  RecentDeliveries(Clock clock, Duration window, int maxEntries) {
    this.clock = clock;
    this.window = window;
    this.maxEntries = maxEntries;
  }

  /** Identifies a delivery: the route and a digest of the exact body bytes. */
  static String key(String route, byte[] body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(route.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      return HexFormat.of().formatHex(digest.digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  /** What is known for each of the body's {@code size} signals; null where nothing is. */
  synchronized Recorded[] lookup(String key, int size) {
    Entry entry = entries.get(key);
    Recorded[] known = new Recorded[size];
    if (entry != null && entry.at().plus(window).isAfter(clock.instant())) {
      System.arraycopy(entry.recorded(), 0, known, 0, Math.min(size, entry.recorded().length));
    }
    return known;
  }

  /** Records the answers of this delivery; the window restarts from now. */
  synchronized void remember(String key, Recorded[] recorded) {
    entries.remove(key);
    entries.put(key, new Entry(clock.instant(), recorded.clone()));
    Instant cutoff = clock.instant().minus(window);
    var oldest = entries.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<String, Entry> next = oldest.next();
      if (entries.size() > maxEntries || next.getValue().at().isBefore(cutoff)) {
        oldest.remove();
      } else {
        break;
      }
    }
  }
}
