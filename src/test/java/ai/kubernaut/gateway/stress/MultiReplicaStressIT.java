package ai.kubernaut.gateway.stress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.http.SignalRoutes;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.ActiveIncidentMonitor;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import ai.kubernaut.gateway.testing.RemediationControllerSimulator;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several gateway replicas, each with its own client, informers and identity, share one API server
 * with a simulated orchestrator ending incidents, lagging watches, random write faults and a
 * replica that dies mid-run. Afterwards the invariants are checked against the API server's state
 * and every response the senders received.
 */
class MultiReplicaStressIT {

  private static final String RR_PATH =
      "/apis/kubernaut.ai/v1alpha1/namespaces/"
          + MockCluster.CONTROLLER_NAMESPACE
          + "/remediationrequests";

  @TempDir Path dir;

  /** The fixed-seed run that every {@code mvn verify} does. */
  @Test
  void invariantsHoldWithFixedSeed() throws Exception {
    run(new Scenario(Long.getLong("stress.seed", 20261121L), 3, 6, 300, 16));
  }

  /** A longer randomised run for CI; the seed is printed so a failure can be replayed. */
  @Test
  @Tag("slow")
  void invariantsHoldWithRandomSeed() throws Exception {
    run(new Scenario(Long.getLong("stress.seed", System.nanoTime()), 3, 12, 2_000, 32));
  }

  record Scenario(long seed, int replicas, int workloads, int signals, int senders) {}

  private record Sent(int replica, String workload, int status, boolean retryAfter) {}

  private void run(Scenario scenario) throws Exception {
    System.out.println(
        "stress scenario " + scenario + " (replay with -Dstress.seed=" + scenario.seed() + ")");
    Random random = new Random(scenario.seed());
    try (MockCluster cluster = MockCluster.start()) {
      cluster.managedNamespace("stress");
      List<String> workloads = new ArrayList<>();
      for (int i = 0; i < scenario.workloads(); i++) {
        workloads.add("app-" + i);
        cluster.deploymentWithPod("stress", "app-" + i, Map.of());
      }
      FaultDispatcher server = cluster.faults();
      server.delayWatchEvents(Duration.ofMillis(150));
      AtomicReferenceArray<GatewayHarness> replicas =
          new AtomicReferenceArray<>(scenario.replicas());
      for (int r = 0; r < scenario.replicas(); r++) {
        replicas.set(
            r,
            GatewayHarness.start(
                cluster, Files.createDirectories(dir.resolve("replica-" + r)), retryConfig()));
      }
      Random faults = new Random(random.nextLong());
      server.chaos("POST", RR_PATH, 0.05, new int[] {429, 503, 0}, Duration.ofMillis(40), faults);
      server.chaos(
          "PATCH", RR_PATH, 0.05, new int[] {409, 429, 503, 0}, Duration.ofMillis(40), faults);

      Queue sent = new Queue();
      try (ActiveIncidentMonitor monitor = new ActiveIncidentMonitor(cluster.newClient());
          RemediationControllerSimulator orchestrator =
              new RemediationControllerSimulator(cluster.newClient(), random.nextLong(), 0.2)) {
        send(scenario, random, workloads, replicas, sent);
        server.clearFaults();
        orchestrator.stop();

        assertThat(monitor.violations())
            .as("moments with two active RemediationRequests for one fingerprint")
            .isEmpty();
        assertThat(orchestrator.finished()).as("incidents ended by the orchestrator").isPositive();
      }
      List<Sent> responses = sent.all();
      System.out.printf(
          "stress: %d sent, %d acknowledged, %d answered 503/504, %d refused by the dead replica,"
              + " %d faults injected, %d RemediationRequests%n",
          responses.size(),
          responses.stream().filter(s -> s.status() / 100 == 2).count(),
          responses.stream().filter(s -> s.status() == 503 || s.status() == 504).count(),
          responses.stream().filter(s -> s.status() == -1).count(),
          server.seen().stream().filter(FaultDispatcher.Seen::faulted).count(),
          cluster
              .client()
              .resources(RemediationRequest.class)
              .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
              .list()
              .getItems()
              .size());
      assertNoSignalAcknowledgedButLost(cluster, responses);
      assertFailuresTellTheSenderToRetry(responses);
      assertThat(server.seen().stream().filter(FaultDispatcher.Seen::faulted))
          .as("injected faults")
          .isNotEmpty();
      for (int r = 0; r < scenario.replicas(); r++) {
        GatewayHarness replica = replicas.get(r);
        if (replica != null) {
          replica.close();
        }
      }
    }
  }

  private void send(
      Scenario scenario,
      Random random,
      List<String> workloads,
      AtomicReferenceArray<GatewayHarness> replicas,
      Queue sent)
      throws Exception {
    List<String> plan = new ArrayList<>();
    for (int i = 0; i < scenario.signals(); i++) {
      plan.add(workloads.get(random.nextInt(workloads.size())));
    }
    AtomicInteger next = new AtomicInteger();
    int killAt = scenario.signals() / 2;
    ExecutorService senders = Executors.newFixedThreadPool(scenario.senders());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < scenario.senders(); t++) {
        running.add(
            senders.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < plan.size()) {
                    if (i == killAt) {
                      GatewayHarness victim = replicas.getAndSet(0, null);
                      victim.close();
                    }
                    int r = 1 + (i % (scenario.replicas() - 1));
                    if (i < killAt) {
                      r = i % scenario.replicas();
                    }
                    GatewayHarness replica = replicas.get(r);
                    if (replica == null) {
                      continue;
                    }
                    sent.add(post(replica, r, plan.get(i), i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
  }

  private static Sent post(GatewayHarness replica, int r, String workload, int n) {
    byte[] body =
        ("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Stress\",\"namespace\":\"stress\","
                + "\"deployment\":\""
                + workload
                + "\"},\"annotations\":{\"n\":\""
                + n
                + "\"},\"startsAt\":\"2026-11-21T11:00:00Z\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response = replica.post(SignalRoutes.PROMETHEUS, body);
      return new Sent(
          r,
          workload,
          response.statusCode(),
          response.headers().firstValue("Retry-After").isPresent());
    } catch (UncheckedIOException e) {
      return new Sent(r, workload, -1, false);
    }
  }

  /** Every 2xx-answered signal is counted exactly once on one of its workload's incidents. */
  private static void assertNoSignalAcknowledgedButLost(MockCluster cluster, List<Sent> responses) {
    Map<String, Long> acknowledged =
        responses.stream()
            .filter(s -> s.status() / 100 == 2)
            .collect(Collectors.groupingBy(Sent::workload, Collectors.counting()));
    Map<String, Integer> counted = new ConcurrentHashMap<>();
    for (RemediationRequest rr :
        cluster
            .client()
            .resources(RemediationRequest.class)
            .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
            .list()
            .getItems()) {
      int count =
          rr.getStatus() == null || rr.getStatus().getDeduplication() == null
              ? 0
              : rr.getStatus().getDeduplication().getOccurrenceCount();
      counted.merge(rr.getSpec().getTargetResource().getName(), count, Integer::sum);
    }
    assertThat(
            counted.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue())))
        .as("occurrences counted on RemediationRequests per workload vs signals answered 2xx")
        .isEqualTo(acknowledged);
  }

  /**
   * A signal that was not recorded got 503 with Retry-After (or 504), never 2xx or another error.
   */
  private static void assertFailuresTellTheSenderToRetry(List<Sent> responses) {
    assertThat(responses).as("signals sent").isNotEmpty();
    List<Sent> failures = responses.stream().filter(s -> s.status() / 100 != 2).toList();
    assertThat(failures)
        .as("failures other than 503+Retry-After, 504, or a connection to the replica that died")
        .allMatch(
            s ->
                (s.status() == 503 && s.retryAfter())
                    || s.status() == 504
                    || (s.status() == -1 && s.replica() == 0));
    assertThat(responses.stream().filter(s -> s.status() / 100 == 2).count())
        .as("most signals are recorded despite the faults")
        .isGreaterThan(responses.size() / 2);
  }

  private static String retryConfig() {
    return """
        processing:
          retry:
            maxAttempts: 4
            initialBackoff: 5ms
            maxBackoff: 20ms
        """;
  }

  /** Responses from all sender threads. */
  private static final class Queue {
    private final ConcurrentLinkedQueue<Sent> items = new ConcurrentLinkedQueue<>();

    void add(Sent s) {
      items.add(s);
    }

    List<Sent> all() {
      return List.copyOf(items);
    }
  }
}
