package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.ActiveIncidentMonitor;
import ai.kubernaut.gateway.testing.AuditLog;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import ai.kubernaut.gateway.testing.RemediationControllerSimulator;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three gateway replicas share one controller namespace on the real API server while an
 * orchestrator ends incidents and deletes finished ones: at least 10,000 signals about a few dozen
 * workloads, spread over the replicas by 32 concurrent senders. Two active incidents of one
 * fingerprint are looked for on every change; afterwards every workload's counts, those of deleted
 * incidents included, are checked against the 2xx answers. Then the API requests a new, a duplicate
 * and a storm signal cost are counted by the server itself (its audit log). The slow group runs it
 * ({@code -Dstress.signals}, {@code -Dstress.seed} change the run).
 */
@Tag("slow")
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiReplicaStressRealIT {

  static final int REPLICAS = 3;
  static final int WORKLOADS = 24;
  static final int NEW_WORKLOADS = 50;
  static final int SENDERS = 32;

  RealApiServer server;
  String controllerNamespace;
  String ns;
  final List<String> pods = new ArrayList<>();
  final List<String> freshPods = new ArrayList<>();
  final List<GatewayHarness> gateways = new ArrayList<>();

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("stress", Map.of("kubernaut.ai/managed", "true"));
    Workloads workloads = new Workloads(server.admin());
    for (int i = 0; i < WORKLOADS; i++) {
      pods.add(workloads.deploymentWithPod(ns, "app-" + i, Map.of()));
    }
    for (int i = 0; i < NEW_WORKLOADS; i++) {
      freshPods.add(workloads.deploymentWithPod(ns, "fresh-" + i, Map.of()));
    }
    for (int i = 0; i < REPLICAS; i++) {
      gateways.add(
          RealGateways.start(
              server,
              controllerNamespace,
              Files.createTempDirectory("stress-replica-" + i),
              "server:\n  maxConcurrentRequests: 1000\n"));
    }
  }

  @AfterAll
  void stop() {
    gateways.forEach(GatewayHarness::close);
  }

  /**
   * One answer. {@code mayHaveCounted}: the gateway could not tell whether the signal counted (503
   * after an uncertain write) or the connection failed.
   */
  private record Sent(String workload, int status, boolean retryAfter, boolean mayHaveCounted) {}

  @Test
  void tenThousandSignalsOverThreeReplicasKeepOneActiveIncidentAndEveryCount() throws Exception {
    long seed = Long.getLong("stress.seed", System.nanoTime());
    int signals = Integer.getInteger("stress.signals", 10_000);
    System.out.println(
        "real API server stress: seed " + seed + " (replay with -Dstress.seed=" + seed + ")");
    Random random = new Random(seed);
    List<Sent> sent;
    long mark = server.auditLog().mark();
    long started = System.nanoTime();
    int deletedByOrchestrator;
    int finishedByOrchestrator;
    Map<String, Integer> counted;
    List<String> violations;
    try (ActiveIncidentMonitor monitor =
            new ActiveIncidentMonitor(server.admin(), controllerNamespace);
        RemediationControllerSimulator orchestrator =
            new RemediationControllerSimulator(
                server.admin(),
                controllerNamespace,
                random.nextLong(),
                0.2,
                Duration.ofMillis(300))) {
      sent = send(signals, random);
      orchestrator.stop();
      deletedByOrchestrator = orchestrator.deleted();
      finishedByOrchestrator = orchestrator.finished();
      Awaitility.await("the monitor saw every deletion")
          .atMost(Duration.ofSeconds(30))
          .until(() -> monitor.deleted() >= deletedByOrchestrator);
      counted = new HashMap<>(monitor.deletedCounts());
      violations = monitor.violations();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    for (RemediationRequest rr : incidents()) {
      counted.merge(rr.getSpec().getTargetResource().getName(), count(rr), Integer::sum);
    }
    List<AuditLog.Request> requests =
        server.auditLog().requestsSince(mark, RealApiServer.GATEWAY_USER).stream()
            .filter(r -> !r.isWatch())
            .toList();

    Map<String, Long> acknowledged =
        sent.stream()
            .filter(s -> s.status() / 100 == 2)
            .collect(Collectors.groupingBy(Sent::workload, Collectors.counting()));
    Map<String, Long> uncertain =
        sent.stream()
            .filter(Sent::mayHaveCounted)
            .collect(Collectors.groupingBy(Sent::workload, Collectors.counting()));
    long lost = 0;
    long overCounted = 0;
    for (String workload : acknowledged.keySet()) {
      long found = counted.getOrDefault(workload, 0);
      long expected = acknowledged.get(workload);
      lost += Math.max(0, expected - found);
      overCounted += Math.max(0, found - expected);
    }
    long recorded = acknowledged.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        "real API server stress: %d signals to %d replicas in %.1f s (%.0f/s), %d recorded;"
            + " answers %s; %d duplicate incidents (two active for one fingerprint), %d lost"
            + " counts, %d counted twice (of %d answers that could not tell); orchestrator ended"
            + " %d incidents and deleted %d; API server saw %d gateway requests (%.2f per"
            + " signal): %s%n",
        sent.size(),
        REPLICAS,
        seconds,
        sent.size() / seconds,
        recorded,
        sent.stream()
            .collect(Collectors.groupingBy(Sent::status, TreeMap::new, Collectors.counting())),
        violations.size(),
        lost,
        overCounted,
        uncertain.values().stream().mapToLong(Long::longValue).sum(),
        finishedByOrchestrator,
        deletedByOrchestrator,
        requests.size(),
        requests.size() / (double) sent.size(),
        byVerbAndCode(requests));

    assertThat(sent).hasSizeGreaterThanOrEqualTo(signals);
    assertThat(violations).as("moments with two active incidents for one fingerprint").isEmpty();
    assertThat(deletedByOrchestrator).as("finished incidents deleted").isPositive();
    assertThat(sent)
        .allSatisfy(
            s -> {
              assertThat(s.status()).isIn(201, 202, 503, 504);
              if (s.status() == 503) {
                assertThat(s.retryAfter()).isTrue();
              }
            });
    for (String workload : acknowledged.keySet()) {
      long expected = acknowledged.get(workload);
      assertThat((long) counted.getOrDefault(workload, 0))
          .as("%s counted vs its 2xx answers (+ answers that could not tell)", workload)
          .isBetween(expected, expected + uncertain.getOrDefault(workload, 0L));
    }
    assertThat(recorded).as("most signals recorded").isGreaterThan(signals * 9L / 10);
  }

  @Test
  void apiRequestsPerNewDuplicateAndStormSignalCountedAtTheServer() throws Exception {
    GatewayHarness gateway = gateways.getFirst();
    long mark = server.auditLog().mark();
    for (String pod : freshPods) {
      HttpResponse<String> created = gateway.post(AlertmanagerSource.PATH, alert("Fresh", pod));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
    List<AuditLog.Request> newRequests = settled(mark);

    awaitOwnWritesSeen(gateway);
    int repeats = 200;
    mark = server.auditLog().mark();
    for (int i = 0; i < repeats; i++) {
      HttpResponse<String> repeat =
          gateway.post(AlertmanagerSource.PATH, alert("Fresh", freshPods.get(i % NEW_WORKLOADS)));
      assertThat(repeat.statusCode()).as(repeat.body()).isEqualTo(202);
    }
    List<AuditLog.Request> duplicateRequests = settled(mark);

    awaitOwnWritesSeen(gateway);
    int storm = 2_000;
    mark = server.auditLog().mark();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<CompletableFuture<Integer>> answers =
          IntStream.range(0, storm)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () ->
                              gateway
                                  .post(AlertmanagerSource.PATH, alert("Fresh", freshPods.get(0)))
                                  .statusCode(),
                          senders))
              .toList();
      assertThat(answers.stream().map(CompletableFuture::join)).containsOnly(202);
    } finally {
      senders.shutdownNow();
    }
    List<AuditLog.Request> stormRequests = settled(mark);

    System.out.printf(
        "real API server requests per signal: new %.2f (%d signals: %s), duplicate %.2f (%d: %s),"
            + " storm %.3f (%d concurrent repeats of one incident at %d senders: %s)%n",
        newRequests.size() / (double) NEW_WORKLOADS,
        NEW_WORKLOADS,
        byVerb(newRequests),
        duplicateRequests.size() / (double) repeats,
        repeats,
        byVerb(duplicateRequests),
        stormRequests.size() / (double) storm,
        storm,
        SENDERS,
        byVerb(stormRequests));
    assertThat(newRequests.size() / (double) NEW_WORKLOADS).isLessThanOrEqualTo(4.0);
    assertThat(duplicateRequests.size() / (double) repeats).isLessThanOrEqualTo(1.0);
    assertThat(stormRequests.size()).isLessThan(storm / 4);
  }

  private List<Sent> send(int signals, Random random) throws Exception {
    List<String> plan = new ArrayList<>();
    for (int i = 0; i < signals; i++) {
      plan.add(pods.get(random.nextInt(WORKLOADS)));
    }
    Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < SENDERS; t++) {
        running.add(
            senders.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < plan.size()) {
                    sent.add(post(gateways.get(i % REPLICAS), plan.get(i)));
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
    return List.copyOf(sent);
  }

  private Sent post(GatewayHarness replica, String pod) {
    String workload = pod.substring(0, pod.indexOf('-', "app-".length()));
    try {
      HttpResponse<String> response = replica.post(AlertmanagerSource.PATH, alert("Stress", pod));
      return new Sent(
          workload,
          response.statusCode(),
          response.headers().firstValue("Retry-After").isPresent(),
          response.statusCode() == 503 && response.body().contains("unknown whether it counted"));
    } catch (UncheckedIOException e) {
      return new Sent(workload, -1, false, true);
    }
  }

  private String alert(String name, String pod) {
    return Alerts.webhook(name, Map.of("namespace", ns, "pod", pod));
  }

  private List<AuditLog.Request> settled(long mark) {
    return server.auditLog().requestsSince(mark, RealApiServer.GATEWAY_USER).stream()
        .filter(r -> !r.isWatch())
        .toList();
  }

  private static Map<String, Long> byVerb(List<AuditLog.Request> requests) {
    return requests.stream()
        .collect(
            Collectors.groupingBy(
                r ->
                    r.verb()
                        + " "
                        + r.resource()
                        + (r.subresource().isEmpty() ? "" : "/" + r.subresource()),
                TreeMap::new,
                Collectors.counting()));
  }

  private static Map<String, Long> byVerbAndCode(List<AuditLog.Request> requests) {
    return requests.stream()
        .collect(
            Collectors.groupingBy(AuditLog.Request::line, TreeMap::new, Collectors.counting()));
  }

  private static void awaitOwnWritesSeen(GatewayHarness gateway) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> gateway.app().pendingOwnWrites() == 0);
  }

  private List<RemediationRequest> incidents() {
    return server
        .admin()
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .list()
        .getItems();
  }

  private static int count(RemediationRequest rr) {
    return rr.getStatus() == null || rr.getStatus().getDeduplication() == null
        ? 0
        : rr.getStatus().getDeduplication().getOccurrenceCount();
  }
}
