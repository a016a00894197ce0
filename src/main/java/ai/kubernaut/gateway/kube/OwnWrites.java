package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.IncidentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's own recent writes, kept until the informer cache has caught up with them, so the
 * replica's decisions never depend on its own cache lag. Entries expire after a bound so a missed
 * cache event cannot pin stale state forever.
 */
final class OwnWrites {

  private record Entry(IncidentState state, Instant writtenAt) {}

  private final Map<String, Entry> byName = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration retention;

  OwnWrites(Clock clock, Duration retention) {
    this.clock = clock;
    this.retention = retention;
  }

  void wrote(IncidentState state) {
    byName.merge(
        state.name(),
        new Entry(state, clock.instant()),
        (old, fresh) -> isNewer(old.state(), fresh.state()) ? old : fresh);
  }

  /** Forgets an entry once the cache holds a version at least as new. */
  void cacheSaw(IncidentState cached) {
    byName.computeIfPresent(
        cached.name(), (name, entry) -> isNewer(entry.state(), cached) ? entry : null);
  }

  void forget(String name) {
    byName.remove(name);
  }

  /** Merges this process's writes over cached states: the newer version of each object wins. */
  Map<String, IncidentState> overlay(String fingerprint, Map<String, IncidentState> cached) {
    Instant cutoff = clock.instant().minus(retention);
    byName.values().removeIf(e -> e.writtenAt().isBefore(cutoff));
    Map<String, IncidentState> merged = new java.util.HashMap<>(cached);
    for (Entry entry : byName.values()) {
      IncidentState own = entry.state();
      if (own.fingerprint().equals(fingerprint)) {
        merged.merge(own.name(), own, (c, o) -> isNewer(c, o) ? c : o);
      }
    }
    return merged;
  }

  int size() {
    return byName.size();
  }

  Collection<String> names() {
    return byName.keySet();
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
