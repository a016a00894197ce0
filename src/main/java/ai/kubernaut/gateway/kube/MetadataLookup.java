package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where owner resolution and scope read objects from. Cached kinds come from the informer caches,
 * with one direct read on a miss (an object newer than the cache); other kinds are read directly,
 * and their answers (exists or not found, never a failure) remembered for a short while.
 */
final class MetadataLookup {

  static final Duration ANSWER_TTL = Duration.ofSeconds(30);
  static final int MAX_ANSWERS = 10_000;

  /** An object read for resolution; {@code cached} when it came from an informer cache. */
  record Found(GenericKubernetesResource object, boolean cached) {}

  private record Key(String apiVersion, String plural, String namespace, String name) {}

  private final MetadataCaches caches;
  private final ObjectReader reader;
  private final ExpiringLookups<Key, Optional<GenericKubernetesResource>> answers;

  MetadataLookup(MetadataCaches caches, ObjectReader reader, Clock clock) {
    this.caches = Objects.requireNonNull(caches, "caches");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.answers = new ExpiringLookups<>(clock, ANSWER_TTL, MAX_ANSWERS);
  }

  /**
   * The object, or empty when it does not exist.
   *
   * @throws ai.kubernaut.gateway.signal.TransientBackendException when the API could not be asked
   */
  Optional<Found> find(ResourceKind kind, String namespace, String name) {
    if (caches.covers(kind)) {
      Optional<GenericKubernetesResource> cached = caches.get(kind, namespace, name);
      if (cached.isPresent()) {
        return Optional.of(new Found(cached.get(), true));
      }
      return reader.object(kind, namespace, name).map(o -> new Found(o, false));
    }
    Key key = new Key(kind.apiVersion(), kind.plural(), namespace, name);
    return answers
        .get(key, k -> reader.object(kind, namespace, name).map(MetadataLookup::trimmed))
        .map(o -> new Found(o, false));
  }

  /** Reads the object from the API server, bypassing every cache. */
  Optional<GenericKubernetesResource> fresh(ResourceKind kind, String namespace, String name) {
    return reader.object(kind, namespace, name);
  }

  /** The first pod by name matching {@code selector}: from the cache, else from the API. */
  Optional<String> firstPodSelectedBy(String namespace, Map<String, String> selector) {
    Optional<String> cached =
        caches.podsIn(namespace).stream()
            .filter(pod -> matches(pod, selector))
            .map(pod -> pod.getMetadata().getName())
            .min(Comparator.naturalOrder());
    return cached.isPresent() ? cached : reader.firstPodMatching(namespace, selector);
  }

  private static boolean matches(GenericKubernetesResource pod, Map<String, String> selector) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  /** Remembered answers keep what resolution and scope need, not whole objects. */
  private static GenericKubernetesResource trimmed(GenericKubernetesResource object) {
    return SlimMetadataStore.trimmed(object);
  }
}
