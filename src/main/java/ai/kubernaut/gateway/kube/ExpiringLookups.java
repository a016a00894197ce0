package ai.kubernaut.gateway.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers the answers of a lookup for a while: only answers the loader returned are kept (a
 * loader that throws, as on a transient API failure, leaves nothing behind), the number of entries
 * is bounded, and concurrent lookups of one key share a single load. With a zero time to live
 * nothing is remembered: only concurrent lookups share a load.
 */
final class ExpiringLookups<K, V> {

  private record Entry<V>(V value, Instant expires) {}

  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final Map<K, Entry<V>> answers = new ConcurrentHashMap<>();
  private final Map<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

  ExpiringLookups(Clock clock, Duration ttl, int maxEntries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.maxEntries = maxEntries;
  }

  /** The remembered answer for {@code key}, or the loader's answer, shared with concurrent asks. */
  V get(K key, Function<K, V> loader) {
    Entry<V> known = answers.get(key);
    if (known != null && known.expires().isAfter(clock.instant())) {
      return known.value();
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return join(running);
    }
    try {
      V value = loader.apply(key);
      if (!ttl.isZero()) {
        remember(key, value);
      }
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  int size() {
    return answers.size();
  }

  private void remember(K key, V value) {
    Instant now = clock.instant();
    if (answers.size() >= maxEntries) {
      answers.values().removeIf(e -> !e.expires().isAfter(now));
    }
    Iterator<K> oldest = answers.keySet().iterator();
    while (answers.size() >= maxEntries && oldest.hasNext()) {
      answers.remove(oldest.next());
    }
    answers.put(key, new Entry<>(value, now.plus(ttl)));
  }

  private static <V> V join(CompletableFuture<V> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
