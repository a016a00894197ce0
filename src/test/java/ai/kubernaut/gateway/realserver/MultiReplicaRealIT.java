package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.AuditLog;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three gateway replicas share one controller namespace on a real API server, which (unlike the
 * mock) rejects a status write carrying a stale resourceVersion: concurrent signals about a few
 * workloads, spread over the replicas, must still leave one RemediationRequest per workload with
 * every signal counted once.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiReplicaRealIT {

  static final int REPLICAS = 3;
  static final int WORKLOADS = 6;
  static final int SIGNALS = 600;

  RealApiServer server;
  String controllerNamespace;
  String ns;
  final List<String> pods = new ArrayList<>();
  final List<GatewayHarness> gateways = new ArrayList<>();

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    Workloads workloads = new Workloads(server.admin());
    for (int i = 0; i < WORKLOADS; i++) {
      pods.add(workloads.deploymentWithPod(ns, "app-" + i, Map.of()));
    }
    for (int i = 0; i < REPLICAS; i++) {
      gateways.add(
          RealGateways.start(
              server,
              controllerNamespace,
              Files.createTempDirectory("replica-" + i),
              "server:\n  maxConcurrentRequests: 1000\n"));
    }
  }

  @AfterAll
  void stop() {
    gateways.forEach(GatewayHarness::close);
  }

  /**
   * Signal i is about workload i % 6 and goes to replica (i / 6) % 3, so every workload is written
   * by all replicas. A signal answered 503 is sent again, as Alertmanager does, up to 5 times.
   */
  @Test
  void concurrentSignalsOverThreeReplicasAreCountedExactlyOnOneRemediationRequestPerWorkload() {
    long mark = server.auditLog().mark();
    ExecutorService senders = Executors.newFixedThreadPool(24);
    List<List<Answer>> answers;
    try {
      List<CompletableFuture<List<Answer>>> sent =
          IntStream.range(0, SIGNALS)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> deliver(i), senders))
              .toList();
      answers = sent.stream().map(CompletableFuture::join).toList();
    } finally {
      senders.shutdownNow();
    }
    List<AuditLog.Request> calls =
        server.auditLog().requestsSince(mark, RealApiServer.GATEWAY_USER).stream()
            .filter(r -> r.isRemediationRequest() && !r.isWatch())
            .toList();
    List<Answer> all = answers.stream().flatMap(List::stream).toList();
    System.out.println(
        "real API server, "
            + REPLICAS
            + " replicas, "
            + SIGNALS
            + " signals about "
            + WORKLOADS
            + " workloads: gateway answers "
            + all.stream()
                .collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()))
            + ", API server answers "
            + calls.stream()
                .collect(
                    Collectors.groupingBy(
                        r -> r.verb() + " " + r.code(), TreeMap::new, Collectors.counting())));

    assertThat(all)
        .allSatisfy(
            a -> {
              assertThat(a.status()).isIn(201, 202, 503);
              if (a.status() == 503) {
                assertThat(a.retryAfter()).isTrue();
              }
            });
    assertThat(answers).allSatisfy(a -> assertThat(a.getLast().status()).isIn(201, 202));
    assertThat(answers.stream().filter(a -> a.getLast().status() == 201)).hasSize(WORKLOADS);
    List<RemediationRequest> incidents = gateways.getFirst().remediationRequests();
    assertThat(incidents)
        .extracting(rr -> rr.getSpec().getTargetResource().getName())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, WORKLOADS).mapToObj(i -> "app-" + i).toList());
    assertThat(
            incidents.stream()
                .mapToInt(rr -> rr.getStatus().getDeduplication().getOccurrenceCount())
                .sum())
        .isEqualTo(SIGNALS);
  }

  private record Answer(int status, boolean retryAfter) {}

  private List<Answer> deliver(int i) {
    String body =
        Alerts.webhook("Replicated", Map.of("namespace", ns, "pod", pods.get(i % WORKLOADS)));
    List<Answer> answers = new ArrayList<>();
    for (int attempt = 0; attempt < 5; attempt++) {
      HttpResponse<String> response =
          gateways.get((i / WORKLOADS + attempt) % REPLICAS).post(AlertmanagerSource.PATH, body);
      answers.add(
          new Answer(
              response.statusCode(), response.headers().firstValue("Retry-After").isPresent()));
      if (response.statusCode() != 503) {
        break;
      }
    }
    return answers;
  }
}
