package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.IncidentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This process's own recent writes, kept until the informer cache has caught up with them, so the
 * replica's decisions never depend on its own cache lag. They are grouped by fingerprint, so
 * overlaying one fingerprint's writes costs only that fingerprint's entries. Entries expire after a
 * bound so a missed cache event cannot pin stale state forever.
 */
final class OwnWrites {

  private record Entry(IncidentState state, Instant writtenAt) {}

  private static final int SWEEP_EVERY_WRITES = 1024;

  private final Map<String, Map<String, Entry>> byFingerprint = new ConcurrentHashMap<>();
  private final AtomicInteger writesSinceSweep = new AtomicInteger();
  private final Clock clock;
  private final Duration retention;

  OwnWrites(Clock clock, Duration retention) {
    this.clock = clock;
    this.retention = retention;
  }

  void wrote(IncidentState state) {
    Entry fresh = new Entry(state, clock.instant());
    byFingerprint.compute(
        state.fingerprint(),
        (fp, entries) -> {
          Map<String, Entry> kept = entries == null ? new ConcurrentHashMap<>() : entries;
          kept.merge(
              state.name(), fresh, (old, now) -> isNewer(old.state(), now.state()) ? old : now);
          return kept;
        });
    if (writesSinceSweep.incrementAndGet() >= SWEEP_EVERY_WRITES) {
      writesSinceSweep.set(0);
      Instant cutoff = clock.instant().minus(retention);
      byFingerprint.keySet().forEach(fp -> expire(fp, cutoff));
    }
  }

  /** Forgets an entry once the cache holds a version at least as new. */
  void cacheSaw(IncidentState cached) {
    byFingerprint.computeIfPresent(
        cached.fingerprint(),
        (fp, entries) -> {
          entries.computeIfPresent(
              cached.name(), (name, entry) -> isNewer(entry.state(), cached) ? entry : null);
          return entries.isEmpty() ? null : entries;
        });
  }

  void forget(IncidentState incident) {
    byFingerprint.computeIfPresent(
        incident.fingerprint(),
        (fp, entries) -> {
          entries.remove(incident.name());
          return entries.isEmpty() ? null : entries;
        });
  }

  /** Merges this process's writes over cached states: the newer version of each object wins. */
  Map<String, IncidentState> overlay(String fingerprint, Map<String, IncidentState> cached) {
    Map<String, Entry> entries = expire(fingerprint, clock.instant().minus(retention));
    if (entries == null || entries.isEmpty()) {
      return cached;
    }
    Map<String, IncidentState> merged = new HashMap<>(cached);
    for (Entry entry : entries.values()) {
      IncidentState own = entry.state();
      merged.merge(own.name(), own, (c, o) -> isNewer(c, o) ? c : o);
    }
    return merged;
  }

  int size() {
    return byFingerprint.values().stream().mapToInt(Map::size).sum();
  }

  private Map<String, Entry> expire(String fingerprint, Instant cutoff) {
    Map<String, Entry> entries = byFingerprint.get(fingerprint);
    if (entries != null) {
      entries.values().removeIf(e -> e.writtenAt().isBefore(cutoff));
      dropIfEmpty(fingerprint);
    }
    return entries;
  }

  private void dropIfEmpty(String fingerprint) {
    byFingerprint.computeIfPresent(
        fingerprint, (fp, entries) -> entries.isEmpty() ? null : entries);
  }

  /**
   * Resource versions are opaque in general, but the API server's are etcd revisions: numeric and
   * increasing. When either is not numeric, the own write is assumed newer; a wrong guess only
   * costs a conflict and a re-read, never a lost update, because every write is conditional.
   */
  static boolean isNewer(IncidentState a, IncidentState b) {
    try {
      return Long.parseLong(a.resourceVersion()) > Long.parseLong(b.resourceVersion());
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
