package ai.kubernaut.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the end of an incident's life for the recurring namespace's workloads: a RemediationRequest
 * whose target is in {@link BenchCluster#RECURRING_NS} is deleted as soon as the gateway has
 * written its first status (the create and the status write are both done), as a cluster deletes
 * finished incidents. The next signal about that workload then opens a new incident, so a load
 * generator that cycles through more such workloads than are visited in the retiring time drives
 * new incidents at any rate without the cluster growing.
 *
 * <p>It watches the controller namespace's RemediationRequests and deletes with its own client
 * (requests the gateway does not make and the bench does not count as the gateway's).
 */
final class IncidentRetirer implements AutoCloseable {

  private static final Logger log = Logger.getLogger(IncidentRetirer.class.getName());

  private static final ResourceDefinitionContext REMEDIATION_REQUESTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("kubernaut.ai")
          .withVersion("v1alpha1")
          .withKind("RemediationRequest")
          .withPlural("remediationrequests")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;

  /** A few deletes in flight, so the retirer keeps up with hundreds of new incidents a second. */
  private final ExecutorService deleter =
      Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("retirer-", 0).factory());

  private final Set<String> retiring = ConcurrentHashMap.newKeySet();
  private final AtomicLong retired = new AtomicLong();
  private Watch watch;

  IncidentRetirer(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  void start() {
    watch =
        client
            .genericKubernetesResources(REMEDIATION_REQUESTS)
            .inNamespace(BenchCluster.CONTROLLER_NS)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource rr) {
                    if (action == Action.DELETED) {
                      retiring.remove(rr.getMetadata().getName());
                    } else if (finishedRecurring(rr)) {
                      retire(rr.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    log.log(Level.WARNING, "RemediationRequest watch closed", cause);
                  }
                });
  }

  /** Incidents deleted so far. */
  long retired() {
    return retired.get();
  }

  /** Whether the incident's target is a recurring workload and its status has been written. */
  static boolean finishedRecurring(GenericKubernetesResource rr) {
    Map<String, Object> props = rr.getAdditionalProperties();
    return props.get("spec") instanceof Map<?, ?> spec
        && spec.get("targetResource") instanceof Map<?, ?> target
        && BenchCluster.RECURRING_NS.equals(target.get("namespace"))
        && props.get("status") instanceof Map<?, ?> status
        && status.get("deduplication") != null;
  }

  private void retire(String name) {
    if (!retiring.add(name)) {
      return;
    }
    deleter.execute(
        () -> {
          try {
            client
                .genericKubernetesResources(REMEDIATION_REQUESTS)
                .inNamespace(BenchCluster.CONTROLLER_NS)
                .withName(name)
                .delete();
            retired.incrementAndGet();
          } catch (RuntimeException e) {
            retiring.remove(name);
            log.log(Level.WARNING, "deleting RemediationRequest " + name + " failed", e);
          }
        });
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    deleter.shutdownNow();
  }
}
