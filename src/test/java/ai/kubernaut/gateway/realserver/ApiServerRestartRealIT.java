package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * kube-apiserver is killed and restarted under load while etcd keeps the data: signals during the
 * outage are answered 503 with Retry-After (never 2xx without a record), senders retry as
 * Alertmanager does, and afterwards no signal is lost, one RemediationRequest per workload holds
 * them, and the gateway's informers resume and it is ready again. A signal whose write the server
 * applied just before it was killed is counted twice (see the assertion).
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerRestartRealIT {

  static final int WORKLOADS = 3;
  static final int SENDERS = 6;

  RealApiServer server;
  String ns;
  Workloads workloads;
  final List<String> pods = new ArrayList<>();
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    String controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    workloads = new Workloads(server.admin());
    for (int i = 0; i < WORKLOADS; i++) {
      pods.add(workloads.deploymentWithPod(ns, "app-" + i, Map.of()));
    }
    gateway =
        RealGateways.start(
            server, controllerNamespace, Files.createTempDirectory("restart-real"), "");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private record Answer(int status, boolean retryAfter) {}

  @Test
  void signalsAcrossAnApiServerRestartAreAnswered503UntilRecordedAndNoneIsLost() throws Exception {
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger delivered = new AtomicInteger();
    Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    List<Future<Integer>> sent = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      int sender = s;
      sent.add(
          senders.submit(
              () -> {
                int signals = 0;
                while (sending.get()) {
                  deliver(pods.get((sender + signals) % WORKLOADS), answers);
                  signals++;
                  delivered.incrementAndGet();
                }
                return signals;
              }));
    }
    long[] pids;
    try {
      awaitDelivered(delivered, 60);
      pids = server.restartApiServer();
      int atRestart = delivered.get();
      awaitDelivered(delivered, atRestart + 60);
    } finally {
      sending.set(false);
    }
    int total = 0;
    for (Future<Integer> f : sent) {
      total += f.get(120, TimeUnit.SECONDS);
    }
    senders.shutdown();

    System.out.println(
        "kube-apiserver "
            + pids[0]
            + " killed, "
            + pids[1]
            + " started; "
            + total
            + " signals, gateway answers "
            + answers.stream()
                .collect(
                    Collectors.groupingBy(
                        a -> a.status() + (a.retryAfter() ? "+Retry-After" : ""),
                        TreeMap::new,
                        Collectors.counting())));
    assertThat(pids[1]).isNotEqualTo(pids[0]);
    assertThat(answers)
        .as("the outage was seen: some signals were answered 503 with Retry-After")
        .anySatisfy(
            a -> {
              assertThat(a.status()).isEqualTo(503);
              assertThat(a.retryAfter()).isTrue();
            });
    assertThat(answers)
        .allSatisfy(
            a -> {
              assertThat(a.status()).isIn(201, 202, 503, 504);
              if (a.status() == 503) {
                assertThat(a.retryAfter()).isTrue();
              }
            });
    List<RemediationRequest> incidents =
        gateway.remediationRequests().stream()
            .filter(rr -> rr.getSpec().getSignalName().equals("Restart"))
            .toList();
    assertThat(incidents)
        .extracting(rr -> rr.getSpec().getTargetResource().getName())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, WORKLOADS).mapToObj(i -> "app-" + i).toList());
    int counted =
        incidents.stream()
            .mapToInt(rr -> rr.getStatus().getDeduplication().getOccurrenceCount())
            .sum();
    int unavailable = (int) answers.stream().filter(a -> a.status() == 503).count();
    System.out.println(
        "counted " + counted + " for " + total + " signals (" + (counted - total) + " twice)");
    assertThat(counted).as("no signal lost").isGreaterThanOrEqualTo(total);
    // Known gap: a status write the server applied just before it was killed reaches the gateway
    // as a broken connection, so the signals of that write are answered 503 and counted again
    // when their sender retries. Exactly once needs the gateway to recognise its own applied
    // write; until then a signal can be counted twice, at most once per 503 it was answered.
    assertThat(counted)
        .as("counted twice at most once per 503")
        .isLessThanOrEqualTo(total + unavailable);
    Awaitility.await("gateway ready again")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> gateway.health("/readyz").statusCode() == 200);
  }

  @Test
  void aWorkloadCreatedAfterTheRestartIsResolved() {
    server.restartApiServer();
    String pod = workloads.deploymentWithPod(ns, "late", Map.of());

    HttpResponse<String> response =
        Awaitility.await("a signal recorded after the restart")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    gateway.post(
                        AlertmanagerSource.PATH,
                        Alerts.webhook("AfterRestart", Map.of("namespace", ns, "pod", pod))),
                r -> r.statusCode() != 503);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(GatewayHarness.parse(response.body()).path("status").asText()).isEqualTo("created");
  }

  /** Sends one signal until it is recorded (2xx), as a sender that retries 503 and 504 would. */
  private void deliver(String pod, Queue<Answer> answers) throws InterruptedException {
    String body = Alerts.webhook("Restart", Map.of("namespace", ns, "pod", pod));
    for (int attempt = 0; attempt < 600; attempt++) {
      HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, body);
      answers.add(
          new Answer(
              response.statusCode(), response.headers().firstValue("Retry-After").isPresent()));
      if (response.statusCode() / 100 == 2) {
        return;
      }
      if (response.statusCode() != 503 && response.statusCode() != 504) {
        throw new AssertionError("unexpected " + response.statusCode() + ": " + response.body());
      }
      // A sender's retry pause (Alertmanager backs off for seconds; shorter keeps the test quick).
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("a signal was not recorded within 600 attempts");
  }

  private static void awaitDelivered(AtomicInteger delivered, int atLeast) {
    Awaitility.await(atLeast + " signals recorded")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> delivered.get() >= atLeast);
  }
}
