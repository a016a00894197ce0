package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where owner resolution and scope read objects from. Cached kinds come from the informer caches,
 * with one direct read on a miss (an object newer than the cache); other kinds are read directly
 * every time, concurrent identical reads sharing one request. No answer is remembered: a remembered
 * "not found" or "exists" would let two replicas, or one replica a minute apart, choose different
 * targets for the same labels. Only a kind the gateway may not read (403) is remembered, per
 * namespace, until the next discovery refresh, so it costs one request, not one per signal.
 */
final class MetadataLookup {

  private static final Logger log = LoggerFactory.getLogger(MetadataLookup.class);

  /** An object read for resolution; {@code cached} when it came from an informer cache. */
  record Found(GenericKubernetesResource object, boolean cached) {}

  private record Key(String apiVersion, String plural, String namespace, String name) {}

  private record Scope(String apiVersion, String plural, String namespace) {}

  private final MetadataCaches caches;
  private final ObjectReader reader;
  private final SharedLoads<Key, Optional<GenericKubernetesResource>> sharedReads =
      new SharedLoads<>();
  private final Set<Scope> unreadable = ConcurrentHashMap.newKeySet();

  MetadataLookup(MetadataCaches caches, ObjectReader reader) {
    this.caches = Objects.requireNonNull(caches, "caches");
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /**
   * The object, or empty when it does not exist.
   *
   * @throws NotReadableException when the gateway may not read this kind here
   * @throws ai.kubernaut.gateway.signal.TransientBackendException when the API could not be asked
   */
  Optional<Found> find(ResourceKind kind, String namespace, String name) {
    if (caches.covers(kind)) {
      Optional<GenericKubernetesResource> cached = caches.get(kind, namespace, name);
      if (cached.isPresent()) {
        return Optional.of(new Found(cached.get(), true));
      }
    }
    Scope scope = new Scope(kind.apiVersion(), kind.plural(), namespace);
    if (unreadable.contains(scope)) {
      throw new NotReadableException(kind, namespace);
    }
    try {
      Key key = new Key(kind.apiVersion(), kind.plural(), namespace, name);
      return sharedReads
          .get(key, k -> reader.object(kind, namespace, name).map(MetadataLookup::trimmed))
          .map(o -> new Found(o, false));
    } catch (NotReadableException e) {
      if (unreadable.add(scope)) {
        log.warn(
            "{} (403); targets of this kind are passed over until the next API discovery refresh."
                + " Grant the gateway `get` on them to let alerts and events name them",
            e.getMessage());
      }
      throw e;
    }
  }

  /** The object from the informer cache only, never from the API; empty for uncached kinds. */
  Optional<GenericKubernetesResource> cached(ResourceKind kind, String namespace, String name) {
    return caches.covers(kind) ? caches.get(kind, namespace, name) : Optional.empty();
  }

  /** Reads the object from the API server, bypassing every cache. */
  Optional<GenericKubernetesResource> fresh(ResourceKind kind, String namespace, String name) {
    return reader.object(kind, namespace, name);
  }

  /** Forgets which kinds could not be read: permissions and kinds may have changed. */
  void forgetUnreadable() {
    unreadable.clear();
  }

  /**
   * The first running pod by name matching {@code selector} (finished and terminating pods do not
   * stand for a workload): from the cache, else from the API.
   */
  Optional<String> firstPodSelectedBy(String namespace, Map<String, String> selector) {
    Optional<String> cached =
        caches.podsIn(namespace).stream()
            .filter(pod -> matches(pod, selector))
            .filter(MetadataLookup::isRunning)
            .map(pod -> pod.getMetadata().getName())
            .min(Comparator.naturalOrder());
    return cached.isPresent() ? cached : reader.firstPodMatching(namespace, selector);
  }

  /** The label selector of a Service; empty when it has none. */
  @SuppressWarnings("unchecked")
  static Map<String, String> selectorOf(GenericKubernetesResource service) {
    Object spec = service.getAdditionalProperties().get("spec");
    if (spec instanceof Map<?, ?> specMap && specMap.get("selector") instanceof Map<?, ?> sel) {
      return Map.copyOf((Map<String, String>) sel);
    }
    return Map.of();
  }

  static boolean matches(GenericKubernetesResource pod, Map<String, String> selector) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  private static boolean isRunning(GenericKubernetesResource pod) {
    Object phase =
        pod.getAdditionalProperties().get("status") instanceof Map<?, ?> status
            ? status.get("phase")
            : null;
    return PodStates.isRunning(
        phase instanceof String p ? p : null, pod.getMetadata().getDeletionTimestamp());
  }

  /** Objects read directly keep what resolution and scope need, as cached ones do. */
  private static GenericKubernetesResource trimmed(GenericKubernetesResource object) {
    return SlimMetadataStore.trimmed(object);
  }
}
