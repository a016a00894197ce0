package ai.kubernaut.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A bounded map whose entries expire, each after its own time to live. Caffeine's admission policy
 * (W-TinyLFU) keeps entries that are asked for again when a flood of distinct keys arrives, so junk
 * seen once does not push out a sender asked about every few seconds.
 */
final class ExpiringCache<V> {

  private record Entry<V>(V value, Duration ttl) {}

  private final Cache<String, Entry<V>> entries;
  private final boolean disabled;

  ExpiringCache(int maxSize, Clock clock) {
    this.disabled = maxSize == 0;
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(maxSize)
            .expireAfter(Expiry.creating((String key, Entry<V> entry) -> entry.ttl()))
            .ticker(() -> nanos(clock.instant()))
            .executor(Runnable::run)
            .build();
  }

  Optional<V> find(String key) {
    return Optional.ofNullable(entries.getIfPresent(key)).map(Entry::value);
  }

  void put(String key, V value, Duration ttl) {
    if (disabled || ttl.isZero() || ttl.isNegative()) {
      return;
    }
    entries.put(key, new Entry<>(value, ttl));
  }

  int size() {
    entries.cleanUp();
    return Math.toIntExact(entries.estimatedSize());
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
