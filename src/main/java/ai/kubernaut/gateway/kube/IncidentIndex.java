package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.IncidentState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The informer's store for RemediationRequests: instead of whole objects, whose {@code
 * originalPayload} can be kilobytes, it keeps the {@link IncidentState} dedup reads, indexed by
 * fingerprint. Objects handed back to the informer carry only their identity and version, which is
 * all it compares.
 */
final class IncidentIndex implements ItemStore<RemediationRequest> {

  private final RemediationRequestMapper mapper;
  private final OwnWrites ownWrites;
  private final Map<String, IncidentState> byKey = new ConcurrentHashMap<>();
  private final Map<String, Map<String, IncidentState>> byFingerprint = new ConcurrentHashMap<>();

  /** Tells {@code ownWrites} about every version the cache receives and every deletion. */
  IncidentIndex(RemediationRequestMapper mapper, OwnWrites ownWrites) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.ownWrites = Objects.requireNonNull(ownWrites, "ownWrites");
  }

  /** The cached incidents of one fingerprint, by name. */
  Map<String, IncidentState> find(String fingerprint) {
    return byFingerprint.getOrDefault(fingerprint, Map.of());
  }

  IncidentState get(String namespace, String name) {
    return byKey.get(namespace + "/" + name);
  }

  @Override
  public String getKey(RemediationRequest rr) {
    return rr.getMetadata().getNamespace() + "/" + rr.getMetadata().getName();
  }

  @Override
  public RemediationRequest put(String key, RemediationRequest rr) {
    IncidentState state = compact(mapper.toState(rr));
    IncidentState old = byKey.put(key, state);
    if (old != null && !old.fingerprint().equals(state.fingerprint())) {
      unindex(old);
    }
    byFingerprint.compute(state.fingerprint(), (fp, states) -> with(states, state));
    ownWrites.cacheSaw(state);
    return old == null ? null : stub(old);
  }

  @Override
  public RemediationRequest remove(String key) {
    IncidentState old = byKey.remove(key);
    if (old == null) {
      return null;
    }
    unindex(old);
    ownWrites.forget(old);
    return stub(old);
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<RemediationRequest> values() {
    return byKey.values().stream().map(IncidentIndex::stub);
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public RemediationRequest get(String key) {
    IncidentState state = byKey.get(key);
    return state == null ? null : stub(state);
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  private void unindex(IncidentState state) {
    byFingerprint.computeIfPresent(state.fingerprint(), (fp, states) -> without(states, state));
  }

  private static Map<String, IncidentState> with(
      Map<String, IncidentState> states, IncidentState state) {
    if (states == null || states.isEmpty()) {
      return Map.of(state.name(), state);
    }
    Map<String, IncidentState> copy = new HashMap<>(states);
    copy.put(state.name(), state);
    return Map.copyOf(copy);
  }

  private static Map<String, IncidentState> without(
      Map<String, IncidentState> states, IncidentState state) {
    if (!states.containsKey(state.name())) {
      return states;
    }
    Map<String, IncidentState> copy = new HashMap<>(states);
    copy.remove(state.name());
    return copy.isEmpty() ? null : Map.copyOf(copy);
  }

  /**
   * Shares the strings every incident repeats (namespace, phase, outcome) and the fingerprint with
   * the index key, so a cached incident costs little more than its name and version.
   */
  private IncidentState compact(IncidentState s) {
    String fingerprint = s.fingerprint();
    Map<String, IncidentState> indexed = byFingerprint.get(fingerprint);
    if (indexed != null && !indexed.isEmpty()) {
      fingerprint = indexed.values().iterator().next().fingerprint();
    }
    return new IncidentState(
        s.name(),
        s.namespace().intern(),
        s.resourceVersion(),
        fingerprint,
        s.sequence(),
        s.createdAt(),
        s.phase().intern(),
        s.outcome().intern(),
        s.nextAllowedExecution(),
        s.occurrences());
  }

  /** An object carrying only what the informer reads back: identity and version. */
  static RemediationRequest stub(IncidentState state) {
    RemediationRequest rr = new RemediationRequest();
    rr.setMetadata(
        new ObjectMetaBuilder()
            .withName(state.name())
            .withNamespace(state.namespace())
            .withResourceVersion(state.resourceVersion())
            .build());
    return rr;
  }
}
