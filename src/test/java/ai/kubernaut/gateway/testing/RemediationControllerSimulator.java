package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the remediation orchestrator: picks up new RemediationRequests and, after a while, moves
 * them to a terminal phase, writing only {@code status.overallPhase} as the real one would.
 */
public final class RemediationControllerSimulator implements AutoCloseable {

  private static final List<String> TERMINAL = List.of("Completed", "Failed", "TimedOut");

  private final KubernetesClient client;
  private final Random random;
  private final double finishProbability;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger finished = new AtomicInteger();
  private final Thread loop;

  public RemediationControllerSimulator(
      KubernetesClient client, long seed, double finishProbability) {
    this.client = client;
    this.random = new Random(seed);
    this.finishProbability = finishProbability;
    this.loop = Thread.ofPlatform().daemon().name("rr-controller").start(this::run);
  }

  public int finished() {
    return finished.get();
  }

  private void run() {
    while (running.get()) {
      try {
        for (RemediationRequest rr : requests()) {
          String phase = rr.getStatus() == null ? null : rr.getStatus().getOverallPhase();
          if (phase == null) {
            setPhase(rr, "Processing");
          } else if (phase.equals("Processing") && random.nextDouble() < finishProbability) {
            setPhase(rr, TERMINAL.get(random.nextInt(TERMINAL.size())));
            finished.incrementAndGet();
          }
        }
        Thread.sleep(20);
      } catch (KubernetesClientException e) {
        // Injected faults hit this client too; the next round retries.
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private List<RemediationRequest> requests() {
    return client
        .resources(RemediationRequest.class)
        .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
        .list()
        .getItems();
  }

  private void setPhase(RemediationRequest rr, String phase) {
    client
        .resources(RemediationRequest.class)
        .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
        .withName(rr.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"overallPhase\":\"" + phase + "\"}}");
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
