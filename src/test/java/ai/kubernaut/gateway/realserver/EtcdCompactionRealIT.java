package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.AuditLog;
import ai.kubernaut.gateway.testing.CapturedLogs;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * etcd compacts its history every second and the API server serves watches straight from etcd (no
 * watch cache): when kube-apiserver restarts, every watch the gateway resumes from the revision it
 * last saw is answered 410 Gone, and its watches (fabric8's informers for the metadata caches, the
 * gateway's own for RemediationRequests) must list again. Signals before and after each relist must
 * still be deduplicated: one RemediationRequest per workload holding exactly the signals answered
 * 2xx. The watches last 5 to 10 minutes, so in a short test a watch is resumed only when its
 * connection breaks; the restart breaks them all.
 *
 * <p>A server of its own: the shared one keeps the defaults (watch cache on, compaction every 5
 * minutes by kube-apiserver), under which a watch is resumed from the cache and 410 is rare. etcd's
 * {@code --auto-compaction-mode=revision} compacts only every 5 minutes whatever the retention, so
 * the periodic mode with a 1 s retention is what makes compaction frequent.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdCompactionRealIT {

  static final int WORKLOADS = 4;
  static final int SENDERS = 4;
  static final int SIGNALS = 40;
  static final int RESTARTS = 2;
  static final String REFLECTOR = "io.fabric8.kubernetes.client.informers.impl.cache.Reflector";
  static final String INCIDENT_WATCH = "ai.kubernaut.gateway.kube.RemediationRequestWatch";

  RealApiServer server;
  String ns;
  final List<String> pods = new ArrayList<>();
  GatewayHarness gateway;
  Level reflectorLevel;

  @BeforeAll
  void start(RealApiServer shared) throws Exception {
    server =
        RealApiServer.startDedicated(
            "compaction",
            Map.of(
                "TESTENV_ETCD_ARGS",
                "--auto-compaction-mode=periodic --auto-compaction-retention=1s",
                "TESTENV_APISERVER_ARGS",
                "--watch-cache=false"));
    String controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    Workloads workloads = new Workloads(server.admin());
    for (int i = 0; i < WORKLOADS; i++) {
      pods.add(workloads.deploymentWithPod(ns, "app-" + i, Map.of()));
    }
    gateway =
        RealGateways.start(
            server, controllerNamespace, Files.createTempDirectory("compaction-real"), "");
    Logger reflector = (Logger) LoggerFactory.getLogger(REFLECTOR);
    reflectorLevel = reflector.getLevel();
    reflector.setLevel(Level.DEBUG);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(REFLECTOR)).setLevel(reflectorLevel);
    if (gateway != null) {
      gateway.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private record Answer(int status, boolean retryAfter) {}

  @Test
  void watchesAnswered410GoneAreRelistedAndEverySignalIsCountedOnceOnOneIncidentPerWorkload()
      throws Exception {
    long mark = server.auditLog().mark();
    Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    List<String> gone;
    try (CapturedLogs logs = new CapturedLogs()) {
      send(answers);
      for (int restart = 1; restart <= RESTARTS; restart++) {
        int expected = restart;
        awaitCompactedPastNow();
        server.restartApiServer();
        Awaitility.await("the RemediationRequest watch answered 410 Gone after restart " + restart)
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> goneLines(logs, "remediationrequests").size() >= expected);
        Awaitility.await("gateway ready after restart " + restart)
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> gateway.health("/readyz").statusCode() == 200);
        send(answers);
      }
      gone = goneLines(logs, "");
    }
    List<AuditLog.Request> lists =
        server.auditLog().requestsSince(mark, RealApiServer.GATEWAY_USER).stream()
            .filter(
                r ->
                    r.verb().equals("list")
                        && !r.uri().contains("labelSelector")
                        && !r.uri().contains("fieldSelector"))
            .toList();
    int recorded = (int) answers.stream().filter(a -> a.status() / 100 == 2).count();
    System.out.println(
        "etcd compaction every 1 s, "
            + RESTARTS
            + " kube-apiserver restarts: "
            + gone.size()
            + " watches answered 410 Gone "
            + gone.stream()
                .map(l -> l.substring(0, l.indexOf(':')))
                .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()))
            + ", informer lists at the server "
            + lists.stream()
                .collect(
                    Collectors.groupingBy(
                        AuditLog.Request::resource, TreeMap::new, Collectors.counting()))
            + "; "
            + recorded
            + " signals recorded, gateway answers "
            + answers.stream()
                .collect(
                    Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting())));

    assertThat(lists.stream().filter(r -> r.resource().equals("remediationrequests")))
        .as("the gateway listed RemediationRequests again after each 410")
        .hasSizeGreaterThanOrEqualTo(RESTARTS);
    assertThat(answers)
        .allSatisfy(
            a -> {
              assertThat(a.status()).isIn(201, 202, 503);
              if (a.status() == 503) {
                assertThat(a.retryAfter()).isTrue();
              }
            });
    List<RemediationRequest> incidents =
        gateway.remediationRequests().stream()
            .filter(rr -> rr.getSpec().getSignalName().equals("Compacted"))
            .toList();
    assertThat(incidents)
        .as("no duplicate incident")
        .extracting(rr -> rr.getSpec().getTargetResource().getName())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, WORKLOADS).mapToObj(i -> "app-" + i).toList());
    assertThat(
            incidents.stream()
                .mapToInt(rr -> rr.getStatus().getDeduplication().getOccurrenceCount())
                .sum())
        .as("every signal answered 2xx counted once, none lost")
        .isEqualTo(recorded);
    assertThat(answers.stream().filter(a -> a.status() == 201)).hasSize(WORKLOADS);
  }

  /**
   * {@link #SIGNALS} signals about the workloads in turn from {@link #SENDERS} concurrent senders,
   * each until recorded; returns when all are. No signal is in flight while the server restarts, so
   * none can meet the known gap of a write applied just before the kill (ApiServerRestartRealIT).
   */
  private void send(Queue<Answer> answers) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < SIGNALS; i++) {
        String pod = pods.get(i % WORKLOADS);
        sent.add(
            senders.submit(
                () -> {
                  deliver(pod, answers);
                  return null;
                }));
      }
      for (Future<?> f : sent) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      senders.shutdown();
    }
  }

  /**
   * Returns once etcd has compacted past the current revision, so every watch the gateway holds now
   * would be answered 410 if resumed: a list at exactly that revision is refused 410 Expired. The
   * ConfigMaps written meanwhile move the revision on (the compactor skips a period in which
   * nothing was written).
   */
  private void awaitCompactedPastNow() {
    AtomicInteger written = new AtomicInteger();
    String now = writeConfigMap(written);
    Awaitility.await("etcd compacted past revision " + now)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              writeConfigMap(written);
              try {
                server
                    .admin()
                    .configMaps()
                    .inNamespace(ns)
                    .list(
                        new ListOptionsBuilder()
                            .withResourceVersion(now)
                            .withResourceVersionMatch("Exact")
                            .build());
                return false;
              } catch (KubernetesClientException e) {
                return e.getCode() == 410;
              }
            });
  }

  private String writeConfigMap(AtomicInteger written) {
    return server
        .admin()
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("revision-" + UUID.randomUUID())
                .endMetadata()
                .addToData("n", Integer.toString(written.incrementAndGet()))
                .build())
        .create()
        .getMetadata()
        .getResourceVersion();
  }

  /**
   * The lines saying a watch was answered 410 Gone, as {@code <resource>: <line>}: fabric8's
   * informers (the metadata caches) name the URL, the gateway's RemediationRequest watch itself.
   */
  private static List<String> goneLines(CapturedLogs logs, String about) {
    List<String> gone = new ArrayList<>();
    for (String line : logs.lines()) {
      if (line.contains(REFLECTOR) && line.contains("http gone")) {
        gone.add(line.substring(line.lastIndexOf('/') + 1) + ": " + line);
      } else if (line.contains(INCIDENT_WATCH) && line.contains("410 Gone")) {
        gone.add("remediationrequests: " + line);
      }
    }
    return gone.stream().filter(l -> l.startsWith(about)).toList();
  }

  /** Sends one signal until it is recorded (2xx), as a sender that retries 503 would. */
  private void deliver(String pod, Queue<Answer> answers) throws InterruptedException {
    String body = Alerts.webhook("Compacted", Map.of("namespace", ns, "pod", pod));
    for (int attempt = 0; attempt < 100; attempt++) {
      HttpResponse<String> response = gateway.post(AlertmanagerSource.PATH, body);
      answers.add(
          new Answer(
              response.statusCode(), response.headers().firstValue("Retry-After").isPresent()));
      if (response.statusCode() != 503) {
        return;
      }
      // A sender's retry pause (Alertmanager backs off for seconds; shorter keeps the test quick).
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("a signal was not recorded within 100 attempts");
  }
}
