package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide informer caches of the kinds owner resolution and scope read, each keeping only the
 * fields those need (labels, owner references, uid, a Service's selector), so memory stays small on
 * large clusters. They are all started eagerly; readiness waits for every one of them.
 */
final class MetadataCaches implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetadataCaches.class);

  /** The kinds cached, with the fixed GA versions their informers list and watch. */
  static final List<ResourceKind> KINDS =
      List.of(
          new ResourceKind("Pod", "pods", "v1", true, 3),
          new ResourceKind("ReplicaSet", "replicasets", "apps/v1", true, 2),
          new ResourceKind("Deployment", "deployments", "apps/v1", true, 1),
          new ResourceKind("StatefulSet", "statefulsets", "apps/v1", true, 1),
          new ResourceKind("DaemonSet", "daemonsets", "apps/v1", true, 1),
          new ResourceKind("Job", "jobs", "batch/v1", true, 2),
          new ResourceKind("CronJob", "cronjobs", "batch/v1", true, 1),
          new ResourceKind("Node", "nodes", "v1", false, 3),
          new ResourceKind("Service", "services", "v1", true, 2),
          new ResourceKind("Namespace", "namespaces", "v1", false, 2));

  /** Initial lists come in pages, so a large cluster never arrives as one huge response. */
  static final long LIST_PAGE = 500;

  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
      new LinkedHashMap<>();

  MetadataCaches(KubernetesClient client) {
    Objects.requireNonNull(client, "client");
    for (ResourceKind kind : KINDS) {
      SharedIndexInformer<GenericKubernetesResource> informer =
          client
              .genericKubernetesResources(context(kind))
              .inAnyNamespace()
              .withLimit(LIST_PAGE)
              .runnableInformer(0);
      informer.itemStore(new SlimMetadataStore());
      informer.exceptionHandler(
          (started, t) -> {
            log.warn("{} cache: list or watch failed, retrying: {}", kind.plural(), t.toString());
            return true;
          });
      informers.put(key(kind.group(), kind.kind()), informer);
    }
  }

  void start() {
    informers.values().forEach(SharedIndexInformer::start);
  }

  /** The plural names of the caches that have not completed their initial list yet. */
  List<String> unsynced() {
    return KINDS.stream()
        .filter(k -> !informers.get(key(k.group(), k.kind())).hasSynced())
        .map(ResourceKind::plural)
        .toList();
  }

  /**
   * Waits until every cache has synced.
   *
   * @throws IllegalStateException naming the caches still unsynced when {@code timeout} passed
   */
  void awaitSynced(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!unsynced().isEmpty()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "metadata caches did not sync within "
                + timeout.toSeconds()
                + "s: "
                + String.join(", ", unsynced())
                + " (check that the API server is reachable and that the gateway may list and"
                + " watch these resources cluster-wide)");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the metadata caches", e);
      }
    }
  }

  /** True when objects of {@code kind} are cached. */
  boolean covers(ResourceKind kind) {
    return informers.containsKey(key(kind.group(), kind.kind()));
  }

  /** The cached object, empty when the cache does not hold it (or does not cover its kind). */
  Optional<GenericKubernetesResource> get(ResourceKind kind, String namespace, String name) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        informers.get(key(kind.group(), kind.kind()));
    if (informer == null) {
      return Optional.empty();
    }
    String storeKey = kind.namespaced() ? namespace + "/" + name : name;
    return Optional.ofNullable(informer.getStore().getByKey(storeKey));
  }

  /** The cached pods of one namespace. */
  List<GenericKubernetesResource> podsIn(String namespace) {
    return informers.get(key("", "Pod")).getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
  }

  static ResourceDefinitionContext context(ResourceKind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(kind.version())
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(kind.namespaced())
        .build();
  }

  private static String key(String group, String kind) {
    return group + "/" + kind;
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }
}
