package ai.kubernaut.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map whose entries expire. When full, expired entries go first, then arbitrary ones: a
 * flood of distinct keys can evict good entries (costing API requests) but never grow memory.
 */
final class ExpiringCache<V> {

  private record Entry<V>(V value, Instant expires) {}

  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final int maxSize;
  private final Clock clock;

  ExpiringCache(int maxSize, Clock clock) {
    this.maxSize = maxSize;
    this.clock = clock;
  }

  Optional<V> find(String key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expires())) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return Optional.of(entry.value());
  }

  void put(String key, V value, Duration ttl) {
    if (maxSize == 0 || ttl.isZero() || ttl.isNegative()) {
      return;
    }
    if (entries.size() >= maxSize) {
      evict();
    }
    entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
  }

  int size() {
    return entries.size();
  }

  private void evict() {
    Instant now = clock.instant();
    entries.values().removeIf(e -> !now.isBefore(e.expires()));
    Iterator<String> keys = entries.keySet().iterator();
    while (entries.size() >= maxSize && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
