package ai.kubernaut.gateway.stress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.ActiveIncidentMonitor;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.ForeignIncidents;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several gateway replicas, each with its own client, informers and identity, share one API server
 * with a simulated orchestrator that ends incidents (some needing manual review, some backing off)
 * and deletes finished ones, incidents created beforehand by another writer without the gateway's
 * labels, lagging watches, random faults before and after the store applied a write, refusals,
 * writes slower than the request deadline, and a replica that dies mid-run. Two active incidents of
 * one fingerprint are looked for on every change during the run; afterwards every fingerprint's
 * counts, including those of deleted incidents, are checked against the 2xx answers.
 */
class MultiReplicaStressIT {

  private static final String RR_PATH =
      "/apis/kubernaut.ai/v1alpha1/namespaces/"
          + MockCluster.CONTROLLER_NAMESPACE
          + "/remediationrequests";
  private static final String LEASE_PATH =
      "/apis/coordination.k8s.io/v1/namespaces/" + MockCluster.CONTROLLER_NAMESPACE + "/leases";

  @TempDir Path dir;

  /** The fixed-seed run that every {@code mvn verify} does. */
  @Test
  void invariantsHoldWithFixedSeed() throws Exception {
    run(new Scenario(Long.getLong("stress.seed", 20261121L), 3, 6, 600, 16));
  }

  /** A long randomised run for CI; the seed is printed so a failure can be replayed. */
  @Test
  @Tag("slow")
  void invariantsHoldWithRandomSeed() throws Exception {
    run(
        new Scenario(
            Long.getLong("stress.seed", System.nanoTime()),
            3,
            24,
            Integer.getInteger("stress.signals", 20_000),
            32));
  }

  record Scenario(long seed, int replicas, int workloads, int signals, int senders) {}

  /**
   * One signal's answer. {@code mayHaveCounted} marks the answers after which the signal may or may
   * not be on an incident: the gateway could not tell whether an applied-then-failed write counted
   * it (503), or the replica died while handling it.
   */
  private record Sent(
      int replica, String workload, int status, boolean retryAfter, boolean mayHaveCounted) {}

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
      for (int i = 0; i < scenario.workloads(); i += 3) {
        ForeignIncidents.create(cluster.client(), "stress", "app-" + i);
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
      Duration slow = Duration.ofMillis(40);
      server.chaos("POST", RR_PATH, 0.04, new int[] {429, 503, 0}, slow, faults);
      server.chaosAfterApplying("POST", RR_PATH, 0.03, new int[] {500, 503, 504}, slow, faults);
      server.chaos("POST", RR_PATH, 0.005, new int[] {422}, slow, faults);
      server.chaos("PATCH", RR_PATH, 0.04, new int[] {409, 429, 503, 0}, slow, faults);
      server.chaosAfterApplying("PATCH", RR_PATH, 0.03, new int[] {500, 503, 504}, slow, faults);
      server.chaos("PATCH", RR_PATH, 0.003, new int[] {0}, Duration.ofMillis(2500), faults);
      server.chaos("POST", LEASE_PATH, 0.05, new int[] {409, 429, 503}, slow, faults);
      server.chaos("PUT", LEASE_PATH, 0.05, new int[] {409, 429, 503}, slow, faults);
      server.chaosAfterApplying("PUT", LEASE_PATH, 0.03, new int[] {503}, slow, faults);

      Queue sent = new Queue();
      try (ActiveIncidentMonitor monitor = new ActiveIncidentMonitor(cluster.newClient());
          RemediationControllerSimulator orchestrator =
              new RemediationControllerSimulator(
                  cluster.newClient(), random.nextLong(), 0.2, Duration.ofMillis(300))) {
        send(scenario, random, workloads, replicas, sent);
        server.clearFaults();
        orchestrator.stop();

        assertThat(monitor.violations())
            .as("moments with two active RemediationRequests for one fingerprint")
            .isEmpty();
        assertThat(orchestrator.finished()).as("incidents ended by the orchestrator").isPositive();
        assertThat(orchestrator.deleted()).as("finished incidents deleted").isPositive();
        List<Sent> responses = sent.all();
        report(scenario, server, cluster, orchestrator, responses);
        assertNoSignalAcknowledgedButLost(cluster, monitor, orchestrator.deleted(), responses);
        assertFailuresTellTheSenderToRetry(responses, server);
      }
      List<Sent> responses = sent.all();
      assertThat(server.seen().stream().filter(FaultDispatcher.Seen::appliedThenFailed))
          .as("writes applied and then failed")
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
      HttpResponse<String> response = replica.post(AlertmanagerSource.PATH, body);
      return new Sent(
          r,
          workload,
          response.statusCode(),
          response.headers().firstValue("Retry-After").isPresent(),
          response.statusCode() == 503 && response.body().contains("unknown whether it counted"));
    } catch (UncheckedIOException e) {
      return new Sent(r, workload, -1, false, true);
    }
  }

  private static void report(
      Scenario scenario,
      FaultDispatcher server,
      MockCluster cluster,
      RemediationControllerSimulator orchestrator,
      List<Sent> responses) {
    System.out.printf(
        "stress: %d sent to %d replicas, %d acknowledged, %d answered 503, %d answered 504,"
            + " %d answered 400, %d refused by the dead replica; %d faults injected, of them %d"
            + " applied then failed; %d incidents ended, %d deleted, %d left%n",
        responses.size(),
        scenario.replicas(),
        responses.stream().filter(s -> s.status() / 100 == 2).count(),
        responses.stream().filter(s -> s.status() == 503).count(),
        responses.stream().filter(s -> s.status() == 504).count(),
        responses.stream().filter(s -> s.status() == 400).count(),
        responses.stream().filter(s -> s.status() == -1).count(),
        server.seen().stream().filter(FaultDispatcher.Seen::faulted).count(),
        server.seen().stream().filter(FaultDispatcher.Seen::appliedThenFailed).count(),
        orchestrator.finished(),
        orchestrator.deleted(),
        cluster
            .client()
            .resources(RemediationRequest.class)
            .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
            .list()
            .getItems()
            .size());
  }

  /**
   * Every 2xx-answered signal is counted exactly once on one of its workload's incidents, the
   * deleted ones included; beyond those, only signals whose answer said the gateway could not tell
   * whether they counted may be counted.
   */
  private static void assertNoSignalAcknowledgedButLost(
      MockCluster cluster, ActiveIncidentMonitor monitor, int deleted, List<Sent> responses) {
    Map<String, Long> acknowledged =
        responses.stream()
            .filter(s -> s.status() / 100 == 2)
            .collect(Collectors.groupingBy(Sent::workload, Collectors.counting()));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> monitor.deleted() >= deleted);
    Map<String, Integer> counted = new ConcurrentHashMap<>(monitor.deletedCounts());
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
    Map<String, Long> uncertain =
        responses.stream()
            .filter(Sent::mayHaveCounted)
            .collect(Collectors.groupingBy(Sent::workload, Collectors.counting()));
    long overCounted = 0;
    for (String workload : acknowledged.keySet()) {
      long expected = acknowledged.get(workload);
      long found = counted.getOrDefault(workload, 0);
      assertThat(found)
          .as(
              "occurrences of %s counted vs its 2xx answers (+ answers that could not tell)",
              workload)
          .isBetween(expected, expected + uncertain.getOrDefault(workload, 0L));
      overCounted += found - expected;
    }
    System.out.printf(
        "stress: %d answers could not tell whether they counted, %d of them did%n",
        uncertain.values().stream().mapToLong(Long::longValue).sum(), overCounted);
  }

  /**
   * A signal that was not recorded got 503 with Retry-After (or 504), never 2xx or another error;
   * 400 only for incidents the API refused (an injected 422).
   */
  private static void assertFailuresTellTheSenderToRetry(
      List<Sent> responses, FaultDispatcher server) {
    assertThat(responses).as("signals sent").isNotEmpty();
    List<Sent> failures = responses.stream().filter(s -> s.status() / 100 != 2).toList();
    long refusals = server.seen().stream().filter(s -> s.injectedStatus() == 422).count();
    assertThat(failures)
        .as("failures other than 503+Retry-After, 504, 400, or the replica that died")
        .allMatch(
            s ->
                (s.status() == 503 && s.retryAfter())
                    || s.status() == 504
                    || s.status() == 400
                    || (s.status() == -1 && s.replica() == 0));
    assertThat(failures.stream().filter(s -> s.status() == 400).count())
        .as("signals answered 400, each for an incident the API refused")
        .isLessThanOrEqualTo(refusals);
    assertThat(responses.stream().filter(s -> s.status() / 100 == 2).count())
        .as("most signals are recorded despite the faults")
        .isGreaterThan(responses.size() / 2);
  }

  private static String retryConfig() {
    return """
        server:
          k8sRequestTimeout: 2s
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
