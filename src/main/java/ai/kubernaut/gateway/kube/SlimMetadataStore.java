package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An informer store keeping a slim copy of each object: identity, version, uid, labels, owner
 * references and {@code spec.selector}, which is all owner resolution and scope read. Unlike
 * fabric8's {@code ReducedStateItemStore}, which rebuilds an object through Jackson on every read,
 * it hands out the stored copy, so a lookup on the signal path costs a map read. Callers only read
 * what they are given.
 */
final class SlimMetadataStore implements ItemStore<GenericKubernetesResource> {

  private final Map<String, GenericKubernetesResource> byKey = new ConcurrentHashMap<>();

  @Override
  public String getKey(GenericKubernetesResource object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
    return byKey.put(key, slim(object));
  }

  @Override
  public GenericKubernetesResource remove(String key) {
    return byKey.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return byKey.keySet().stream();
  }

  @Override
  public Stream<GenericKubernetesResource> values() {
    return byKey.values().stream();
  }

  @Override
  public int size() {
    return byKey.size();
  }

  @Override
  public GenericKubernetesResource get(String key) {
    return byKey.get(key);
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  static GenericKubernetesResource slim(GenericKubernetesResource full) {
    ObjectMeta meta = full.getMetadata();
    GenericKubernetesResource slim = new GenericKubernetesResource();
    slim.setApiVersion(full.getApiVersion());
    slim.setKind(full.getKind());
    slim.setMetadata(
        new ObjectMetaBuilder()
            .withName(meta.getName())
            .withNamespace(meta.getNamespace() == null ? null : meta.getNamespace().intern())
            .withUid(meta.getUid())
            .withResourceVersion(meta.getResourceVersion())
            .withLabels(meta.getLabels())
            .withOwnerReferences(meta.getOwnerReferences())
            .build());
    if (full.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
        && spec.get("selector") != null) {
      slim.setAdditionalProperty("spec", Map.of("selector", spec.get("selector")));
    }
    return slim;
  }
}
