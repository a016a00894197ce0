package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the remediation orchestrator and the retention clean-up: picks up new RemediationRequests,
 * after a while moves them to a terminal phase (sometimes needing manual review, sometimes with a
 * backoff before the next attempt), and, when asked to, deletes finished ones a little later as
 * finished-incident retention does. It writes only status fields the real orchestrator owns.
 */
public final class RemediationControllerSimulator implements AutoCloseable {

  private static final List<String> TERMINAL = List.of("Completed", "Failed", "TimedOut");

  private final KubernetesClient client;
  private final String namespace;
  private final Random random;
  private final double finishProbability;
  private final Duration retention;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger deleted = new AtomicInteger();
  private final Map<String, Instant> finishedAt = new HashMap<>();
  private final Thread loop;

  /** Ends incidents and never deletes them. */
  public RemediationControllerSimulator(
      KubernetesClient client, long seed, double finishProbability) {
    this(client, seed, finishProbability, null);
  }

  /**
   * Ends incidents and deletes each finished one {@code retention} after it finished; {@code null}
   * keeps them.
   */
  public RemediationControllerSimulator(
      KubernetesClient client, long seed, double finishProbability, Duration retention) {
    this(client, MockCluster.CONTROLLER_NAMESPACE, seed, finishProbability, retention);
  }

  /** As above, for the RemediationRequests of {@code namespace}. */
  public RemediationControllerSimulator(
      KubernetesClient client,
      String namespace,
      long seed,
      double finishProbability,
      Duration retention) {
    this.client = client;
    this.namespace = namespace;
    this.random = new Random(seed);
    this.finishProbability = finishProbability;
    this.retention = retention;
    this.loop = Thread.ofPlatform().daemon().name("rr-controller").start(this::run);
  }

  public int finished() {
    return finished.get();
  }

  public int deleted() {
    return deleted.get();
  }

  private void run() {
    while (running.get()) {
      try {
        for (RemediationRequest rr : requests()) {
          step(rr);
        }
        Thread.sleep(20);
      } catch (KubernetesClientException e) {
        // Injected faults hit this client too; the next round retries.
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void step(RemediationRequest rr) {
    String name = rr.getMetadata().getName();
    String phase = rr.getStatus() == null ? null : rr.getStatus().getOverallPhase();
    if (phase == null) {
      patchStatus(name, "{\"overallPhase\":\"Processing\"}");
    } else if (phase.equals("Processing") && random.nextDouble() < finishProbability) {
      patchStatus(name, terminalStatus());
      finished.incrementAndGet();
      finishedAt.put(name, Instant.now());
    } else if (retention != null && TERMINAL.contains(phase)) {
      Instant at = finishedAt.computeIfAbsent(name, n -> Instant.now());
      if (at.plus(retention).isBefore(Instant.now())) {
        resource(name).delete();
        finishedAt.remove(name);
        deleted.incrementAndGet();
      }
    }
  }

  /**
   * A terminal status: mostly plain, sometimes ending in manual review (repeats fold into it until
   * it is deleted) or with a short backoff before the next attempt (repeats fold in until then).
   */
  private String terminalStatus() {
    String phase = TERMINAL.get(random.nextInt(TERMINAL.size()));
    double kind = random.nextDouble();
    if (kind < 0.1) {
      return "{\"overallPhase\":\""
          + phase
          + "\",\"completionStatus\":{\"outcome\":\"ManualReviewRequired\"}}";
    }
    if (kind < 0.25) {
      Instant next = Instant.now().plusMillis(300).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      return "{\"overallPhase\":\""
          + phase
          + "\",\"routingStatus\":{\"nextAllowedExecution\":\""
          + next
          + "\"}}";
    }
    return "{\"overallPhase\":\"" + phase + "\"}";
  }

  private List<RemediationRequest> requests() {
    return client.resources(RemediationRequest.class).inNamespace(namespace).list().getItems();
  }

  private io.fabric8.kubernetes.client.dsl.Resource<RemediationRequest> resource(String name) {
    return client.resources(RemediationRequest.class).inNamespace(namespace).withName(name);
  }

  private void patchStatus(String name, String status) {
    resource(name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + status + "}");
  }

  /** Stops ending incidents; waits for the loop to finish. */
  public void stop() {
    running.set(false);
    loop.interrupt();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
