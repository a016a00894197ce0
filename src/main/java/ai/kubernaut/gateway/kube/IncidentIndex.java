package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.IncidentState;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cached RemediationRequests of the controller namespace, as the {@link IncidentState}s dedup
 * reads (not whole objects, whose {@code originalPayload} can be kilobytes), indexed by
 * fingerprint. {@link RemediationRequestWatch} keeps it in step with the server.
 */
final class IncidentIndex {

  private static final Logger log = LoggerFactory.getLogger(IncidentIndex.class);

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
    return byKey.get(key(namespace, name));
  }

  /**
   * Caches the object's incident state in place of the version cached before, if any; returns its
   * key. An object without a name, namespace or version, which no API server sends, is left out
   * (null) rather than failing the list or watch that brought it, which would bring it again and
   * again.
   */
  String put(RemediationRequest rr) {
    ObjectMeta meta = rr.getMetadata();
    if (meta == null
        || meta.getName() == null
        || meta.getNamespace() == null
        || meta.getResourceVersion() == null) {
      log.warn("a RemediationRequest without a name, namespace or version is not cached: {}", meta);
      return null;
    }
    IncidentState state = compact(mapper.toState(rr));
    String key = key(state.namespace(), state.name());
    IncidentState old = byKey.put(key, state);
    if (old != null && !old.fingerprint().equals(state.fingerprint())) {
      unindex(old);
    }
    byFingerprint.compute(state.fingerprint(), (fp, states) -> with(states, state));
    ownWrites.cacheSaw(state);
    return key;
  }

  /** Forgets the object, deleted on the server. */
  void remove(RemediationRequest rr) {
    remove(key(rr.getMetadata().getNamespace(), rr.getMetadata().getName()));
  }

  /**
   * Forgets every incident whose key {@link #put} did not return while a complete list from the
   * server was put: those were deleted meanwhile.
   */
  void retainOnly(Set<String> listed) {
    for (String key : List.copyOf(byKey.keySet())) {
      if (!listed.contains(key)) {
        remove(key);
      }
    }
  }

  int size() {
    return byKey.size();
  }

  private void remove(String key) {
    IncidentState old = byKey.remove(key);
    if (old != null) {
      unindex(old);
      ownWrites.forget(old);
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
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

  /** An object carrying only identity and version: what a conditional status patch names. */
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
