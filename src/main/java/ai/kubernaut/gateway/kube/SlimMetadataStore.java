package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store keeping, per object, only what owner resolution and scope read: identity,
 * version, uid, labels, the controller owner reference, {@code spec.selector}, a pod's {@code
 * spec.nodeName}, {@code status.phase} and the deletion timestamp (which tell a running pod from a
 * finished or terminating one), in a compact record. Unlike fabric8's {@code
 * ReducedStateItemStore}, which rebuilds an object through Jackson on every read, it rebuilds one
 * by hand, so a lookup on the signal path costs a map read and a few small allocations.
 */
final class SlimMetadataStore implements ItemStore<GenericKubernetesResource> {

  /** The controller owner reference, the only one owner resolution follows. */
  private record Owner(String apiVersion, String kind, String name, String uid) {}

  private record Slim(
      String apiVersion,
      String kind,
      String name,
      String namespace,
      String uid,
      String resourceVersion,
      Map<String, String> labels,
      Owner controller,
      Object selector,
      String nodeName,
      String phase,
      String deletionTimestamp) {}

  private final Map<String, Slim> byKey = new ConcurrentHashMap<>();

  @Override
  public String getKey(GenericKubernetesResource object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
    return rebuild(byKey.put(key, slim(object)));
  }

  @Override
  public GenericKubernetesResource remove(String key) {
    return rebuild(byKey.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return byKey.values().stream().map(SlimMetadataStore::rebuild);
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public GenericKubernetesResource get(String key) {
    return rebuild(byKey.get(key));
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  /** A copy of {@code full} with only what this store keeps, as a read from it would return. */
  static GenericKubernetesResource trimmed(GenericKubernetesResource full) {
    return rebuild(slim(full));
  }

  private static Slim slim(GenericKubernetesResource full) {
    ObjectMeta meta = full.getMetadata();
    Map<?, ?> spec =
        full.getAdditionalProperties().get("spec") instanceof Map<?, ?> map ? map : Map.of();
    return new Slim(
        intern(full.getApiVersion()),
        intern(full.getKind()),
        meta.getName(),
        intern(meta.getNamespace()),
        meta.getUid(),
        meta.getResourceVersion(),
        meta.getLabels() == null || meta.getLabels().isEmpty()
            ? Map.of()
            : Map.copyOf(meta.getLabels()),
        controller(meta.getOwnerReferences()),
        spec.get("selector"),
        spec.get("nodeName") instanceof String node ? node.intern() : null,
        full.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("phase") instanceof String phase
            ? phase.intern()
            : null,
        meta.getDeletionTimestamp());
  }

  private static Owner controller(List<OwnerReference> references) {
    if (references == null) {
      return null;
    }
    return references.stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()))
        .findFirst()
        .map(
            ref ->
                new Owner(
                    intern(ref.getApiVersion()),
                    intern(ref.getKind()),
                    ref.getName(),
                    ref.getUid()))
        .orElse(null);
  }

  private static GenericKubernetesResource rebuild(Slim slim) {
    if (slim == null) {
      return null;
    }
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withName(slim.name())
            .withNamespace(slim.namespace())
            .withUid(slim.uid())
            .withResourceVersion(slim.resourceVersion())
            .withLabels(slim.labels())
            .withDeletionTimestamp(slim.deletionTimestamp());
    if (slim.controller() != null) {
      meta.withOwnerReferences(
          new OwnerReferenceBuilder()
              .withApiVersion(slim.controller().apiVersion())
              .withKind(slim.controller().kind())
              .withName(slim.controller().name())
              .withUid(slim.controller().uid())
              .withController(true)
              .build());
    }
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setApiVersion(slim.apiVersion());
    object.setKind(slim.kind());
    object.setMetadata(meta.build());
    Map<String, Object> spec = new HashMap<>(2);
    if (slim.selector() != null) {
      spec.put("selector", slim.selector());
    }
    if (slim.nodeName() != null) {
      spec.put("nodeName", slim.nodeName());
    }
    if (!spec.isEmpty()) {
      object.setAdditionalProperty("spec", spec);
    }
    if (slim.phase() != null) {
      object.setAdditionalProperty("status", Map.of("phase", slim.phase()));
    }
    return object;
  }

  private static String intern(String value) {
    return value == null ? null : value.intern();
  }
}
