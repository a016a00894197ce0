package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ScopePolicy;
import ai.kubernaut.gateway.signal.TargetResolver;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** Everything the gateway reads from and writes to the Kubernetes API, built around one client. */
public final class KubernetesBackend implements AutoCloseable {

  private static final Duration REACHABILITY_CACHE = Duration.ofSeconds(5);

  private record Reachability(Instant checkedAt, Optional<String> problem) {}

  private final KubernetesClient client;
  private final DiscoveredResourceKinds kinds;
  private final MetadataCaches caches;
  private final Duration cacheSyncTimeout;
  private final OwnerChainResolver resolver;
  private final ManagedLabelScopePolicy scope;
  private final RemediationRequestStore store;
  private final Clock clock;
  private final AtomicReference<Reachability> reachability = new AtomicReference<>();

  /**
   * @param serverTime the API server's time as its answers to {@code client} carry it
   */
  public KubernetesBackend(
      KubernetesClient client,
      GatewayConfig config,
      ObjectMapper json,
      Clock clock,
      KubeMetrics metrics,
      ApiServerTime serverTime) {
    this.client = client;
    this.clock = clock;
    ApiCalls calls =
        new ApiCalls(
            config.processing().retry(),
            config.server().requestDeadline(),
            new WriteCircuitBreaker(clock, metrics::writeBreakerState));
    this.kinds =
        new DiscoveredResourceKinds(client, config.kubernetes().discoveryRefresh(), metrics);
    this.caches = new MetadataCaches(client);
    this.cacheSyncTimeout = config.kubernetes().cacheSyncTimeout();
    MetadataLookup lookup = new MetadataLookup(caches, new ObjectReader(client, calls));
    kinds.onRefresh(lookup::forgetUnreadable);
    this.resolver = new OwnerChainResolver(kinds, lookup);
    this.scope = new ManagedLabelScopePolicy(kinds, lookup);
    this.store =
        new RemediationRequestStore(
            client,
            config.identity().controllerNamespace(),
            calls,
            new RemediationRequestMapper(json),
            new IncidentClaims(
                client,
                config.identity().controllerNamespace(),
                holder(config),
                calls,
                clock,
                serverTime),
            clock,
            metrics);
  }

  /** Who this replica is in the claims it writes: the pod's name, else a name made up once. */
  private static String holder(GatewayConfig config) {
    String pod = config.identity().podName();
    return pod.isEmpty()
        ? "kubernaut-gateway-" + UUID.randomUUID().toString().substring(0, 8)
        : pod;
  }

  /**
   * Reads API discovery and starts the informers without waiting for them.
   *
   * @throws IllegalStateException when discovery yields no resources
   */
  public void start() {
    kinds.start();
    caches.start();
    store.start();
  }

  /**
   * Waits, bounded by {@code kubernetes.cacheSyncTimeout}, until the metadata caches have synced.
   *
   * @throws IllegalStateException naming the caches that did not sync in time
   */
  public void awaitCachesSynced() {
    caches.awaitSynced(cacheSyncTimeout);
  }

  /** Empty when every metadata cache has synced, else which have not. */
  public Optional<String> cacheProblem() {
    List<String> unsynced = caches.unsynced();
    return unsynced.isEmpty()
        ? Optional.empty()
        : Optional.of(
            "Metadata caches have not completed initial sync: " + String.join(", ", unsynced));
  }

  public ResourceKinds kinds() {
    return kinds;
  }

  public TargetResolver targetResolver() {
    return resolver;
  }

  public ScopePolicy scopePolicy() {
    return scope;
  }

  public RemediationRequestStore incidentStore() {
    return store;
  }

  /** Empty when the API server answered recently, else why it is considered unreachable. */
  public Optional<String> apiProblem() {
    Reachability last = reachability.get();
    Instant now = clock.instant();
    if (last != null && last.checkedAt().plus(REACHABILITY_CACHE).isAfter(now)) {
      return last.problem();
    }
    Optional<String> problem;
    try {
      client.namespaces().list(new ListOptionsBuilder().withLimit(1L).build());
      problem = Optional.empty();
    } catch (KubernetesClientException e) {
      problem = Optional.of("Kubernetes API is not reachable: " + ApiFailures.describe(e));
    }
    reachability.set(new Reachability(now, problem));
    return problem;
  }

  @Override
  public void close() {
    store.close();
    caches.close();
    kinds.close();
  }
}
