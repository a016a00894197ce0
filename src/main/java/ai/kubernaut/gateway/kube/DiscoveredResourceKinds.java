package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kinds the cluster serves, from API discovery: read at start (no resources at all is a
 * start-up error naming the cause), then refreshed periodically. A group version that fails to
 * answer keeps its previous resources, and a refresh that fails entirely keeps the last snapshot;
 * both count {@code gateway_discovery_refresh_errors_total}.
 */
final class DiscoveredResourceKinds implements ResourceKinds, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DiscoveredResourceKinds.class);
  private static final String CORE = "v1";
  private static final String ALL_GROUPS = "/apis";

  /** One discovery pass: the lists that answered, and what failed. */
  private record Pass(
      Map<String, APIResourceList> lists, List<String> failures, Set<String> unanswered) {}

  private final KubernetesClient client;
  private final Duration interval;
  private final DiscoveryMetrics metrics;
  private final AtomicReference<Map<String, APIResourceList>> lastLists =
      new AtomicReference<>(Map.of());
  private final AtomicReference<ResourceKindRegistry> current =
      new AtomicReference<>(ResourceKindRegistry.of(List.of()));
  private final List<Runnable> refreshListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("discovery-refresh").factory());

  DiscoveredResourceKinds(KubernetesClient client, Duration interval, DiscoveryMetrics metrics) {
    this.client = Objects.requireNonNull(client, "client");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Reads discovery once and schedules the refreshes.
   *
   * @throws IllegalStateException when discovery yields no resources at all
   */
  void start() {
    Pass pass = discover();
    ResourceKindRegistry first = ResourceKindRegistry.of(List.copyOf(pass.lists().values()));
    if (first.size() == 0) {
      throw new IllegalStateException(
          "API discovery found no resources"
              + (pass.failures().isEmpty() ? "" : ": " + String.join("; ", pass.failures())));
    }
    if (!pass.failures().isEmpty()) {
      metrics.refreshFailed();
      log.warn("API discovery is partial: {}", String.join("; ", pass.failures()));
    }
    lastLists.set(pass.lists());
    current.set(first);
    log.info("API discovery: {} kinds", first.size());
    long millis = interval.toMillis();
    refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code listener} after every refresh that replaced the snapshot. */
  void onRefresh(Runnable listener) {
    refreshListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Re-reads discovery; true when a new snapshot replaced the previous one. */
  boolean refresh() {
    try {
      Pass pass = discover();
      Map<String, APIResourceList> merged = new LinkedHashMap<>(pass.lists());
      lastLists
          .get()
          .forEach(
              (gv, list) -> {
                if (pass.unanswered().contains(gv) || pass.unanswered().contains(ALL_GROUPS)) {
                  merged.putIfAbsent(gv, list);
                }
              });
      boolean failed = !pass.failures().isEmpty();
      if (pass.lists().isEmpty()) {
        metrics.refreshFailed();
        log.warn(
            "API discovery refresh failed, keeping the last snapshot: {}",
            String.join("; ", pass.failures()));
        return false;
      }
      if (failed) {
        metrics.refreshFailed();
        log.warn(
            "API discovery refresh is partial, keeping the failed groups' last resources: {}",
            String.join("; ", pass.failures()));
      }
      lastLists.set(merged);
      current.set(ResourceKindRegistry.of(List.copyOf(merged.values())));
      refreshListeners.forEach(Runnable::run);
      return true;
    } catch (RuntimeException e) {
      metrics.refreshFailed();
      log.warn("API discovery refresh failed, keeping the last snapshot", e);
      return false;
    }
  }

  private Pass discover() {
    Map<String, APIResourceList> lists = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    Set<String> unanswered = new HashSet<>();
    read(CORE, lists, failures, unanswered);
    try {
      APIGroupList groups = client.getApiGroups();
      if (groups == null || groups.getGroups() == null) {
        failures.add("/apis answered nothing");
        unanswered.add(ALL_GROUPS);
      } else {
        for (APIGroup group : groups.getGroups()) {
          preferredVersion(group).ifPresent(gv -> read(gv, lists, failures, unanswered));
        }
      }
    } catch (KubernetesClientException e) {
      failures.add("/apis: " + ApiFailures.describe(e));
      unanswered.add(ALL_GROUPS);
    }
    return new Pass(lists, failures, unanswered);
  }

  private void read(
      String groupVersion,
      Map<String, APIResourceList> lists,
      List<String> failures,
      Set<String> unanswered) {
    try {
      APIResourceList list = client.getApiResources(groupVersion);
      if (list == null || list.getResources() == null) {
        failures.add(groupVersion + ": no resource list");
        unanswered.add(groupVersion);
        return;
      }
      if (list.getGroupVersion() == null) {
        list.setGroupVersion(groupVersion);
      }
      lists.put(groupVersion, list);
    } catch (KubernetesClientException e) {
      failures.add(groupVersion + ": " + ApiFailures.describe(e));
      unanswered.add(groupVersion);
    }
  }

  private static Optional<String> preferredVersion(APIGroup group) {
    GroupVersionForDiscovery preferred = group.getPreferredVersion();
    if (preferred != null && preferred.getGroupVersion() != null) {
      return Optional.of(preferred.getGroupVersion());
    }
    if (group.getVersions() == null) {
      return Optional.empty();
    }
    return group.getVersions().stream()
        .map(GroupVersionForDiscovery::getGroupVersion)
        .filter(Objects::nonNull)
        .findFirst();
  }

  @Override
  public Optional<ResourceKind> forLabelKey(String labelKey) {
    return current.get().forLabelKey(labelKey);
  }

  @Override
  public Optional<ResourceKind> forKind(String kind) {
    return current.get().forKind(kind);
  }

  @Override
  public List<ResourceKind> allForKind(String kind) {
    return current.get().allForKind(kind);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
