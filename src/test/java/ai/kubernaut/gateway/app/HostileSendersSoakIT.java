package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.testing.AccessReviewResponder;
import ai.kubernaut.gateway.testing.ClusterObjects;
import ai.kubernaut.gateway.testing.LocalHttp;
import ai.kubernaut.gateway.testing.MockCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar at the heap {@code deploy/base} gives it, with sender authentication against a
 * mock API server, under every abusive pattern at once for at least five minutes — distinct
 * thousand-alert bodies about an unmanaged node, thousand-alert bodies with a 16,000-character
 * foreign cluster label, slow bodies after a refusal, junk-token floods, idle connections, clients
 * that pipeline requests and never read the answers — beside one well-behaved sender. The gateway
 * must stay up, its live heap under a bound, and the well-behaved sender's p99 under a bound; the
 * figures are printed.
 *
 * <p>{@code -Dsoak.duration=PT1M} shortens a local run; CI runs the default.
 */
@Tag("slow")
class HostileSendersSoakIT {

  static final Duration DURATION = Duration.parse(System.getProperty("soak.duration", "PT5M"));

  /** Live heap after a full GC must stay under this (the heap limit is 384 MiB). */
  static final long LIVE_HEAP_BOUND = 200L * 1024 * 1024;

  /** The well-behaved sender's 99th percentile answer time must stay under this. */
  static final Duration P99_BOUND = Duration.ofSeconds(3);

  static final String GOOD_SENDER = "system:serviceaccount:monitoring:alertmanager";
  static final String ABUSER = "system:serviceaccount:monitoring:noisy";

  @TempDir Path dir;
  private MockCluster cluster;
  private Process process;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    running.set(false);
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theGatewayStaysUpWithinItsHeapAndServesAWellBehavedSenderUnderAbuse() throws Exception {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    new ClusterObjects(cluster.client()).node("worker-9", Map.of());
    String goodToken = token(GOOD_SENDER);
    String abuserToken = token(ABUSER);
    cluster.reviews().grantGroup("system:serviceaccounts:monitoring");

    int api = LocalHttp.freePort();
    int health = LocalHttp.freePort();
    int metrics = LocalHttp.freePort();
    process = startJar(api, health, metrics);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> LocalHttp.status(http, "http://127.0.0.1:" + health + "/readyz") == 200);
    URI signals = URI.create("http://127.0.0.1:" + api + "/api/v1/signals/prometheus");
    URI metricsUri = URI.create("http://127.0.0.1:" + metrics + "/metrics");

    long baseline = liveHeapAfterGc(metricsUri);
    long perRequest = retainedPerMaximalBody(signals, abuserToken, metricsUri, baseline);

    List<Long> goodLatencies = Collections.synchronizedList(new ArrayList<>());
    ConcurrentLinkedQueue<Integer> goodStatuses = new ConcurrentLinkedQueue<>();
    AtomicLong abusive = new AtomicLong();
    long maxLiveHeap = 0;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      threads.submit(() -> loop(() -> post(signals, abuserToken, unmanagedNodeBody()), abusive));
      threads.submit(() -> loop(() -> post(signals, abuserToken, hugeClusterBody()), abusive));
      threads.submit(() -> loop(() -> post(signals, junkToken(), tinyBody()), abusive));
      threads.submit(() -> loop(() -> post(signals, junkToken(), tinyBody()), abusive));
      for (int i = 0; i < 20; i++) {
        threads.submit(() -> loop(() -> slowBodyAfterRefusal(api), abusive));
      }
      for (int i = 0; i < 2; i++) {
        threads.submit(() -> loop(() -> pipelineWithoutReading(api, abuserToken), abusive));
      }
      for (int i = 0; i < 40; i++) {
        int client = i;
        threads.submit(() -> loop(() -> idleConnection(api, client), abusive));
      }
      threads.submit(
          () -> {
            long n = 0;
            while (running.get()) {
              long started = System.nanoTime();
              int status = post(signals, goodToken, goodBody(n++));
              if (!running.get()) {
                break; // cut short by the end of the run, not answered by the gateway
              }
              goodLatencies.add(System.nanoTime() - started);
              goodStatuses.add(status);
              sleepQuietly(Duration.ofMillis(200));
            }
            return null;
          });

      Instant end = Instant.now().plus(DURATION);
      while (Instant.now().isBefore(end)) {
        sleepQuietly(Duration.ofSeconds(20));
        assertThat(process.isAlive()).as("the gateway process is alive").isTrue();
        maxLiveHeap = Math.max(maxLiveHeap, liveHeapAfterGc(metricsUri));
      }
      running.set(false);
      threads.shutdownNow();
    }

    assertThat(process.isAlive()).isTrue();
    List<Long> sorted = new ArrayList<>(goodLatencies);
    Collections.sort(sorted);
    Duration p99 = Duration.ofNanos(sorted.get((int) Math.floor(sorted.size() * 0.99)));
    long good2xx = goodStatuses.stream().filter(s -> s >= 200 && s < 300).count();
    System.out.printf(
        "SOAK duration=%s abusiveRequests=%d goodRequests=%d good2xx=%d goodStatuses=%s"
            + " goodP50=%dms goodP99=%dms baselineLiveHeap=%dMiB maxLiveHeap=%dMiB"
            + " retainedPerMaximalBody=%dKiB liveHeapBound=%dMiB p99Bound=%dms%n",
        DURATION,
        abusive.get(),
        sorted.size(),
        good2xx,
        goodStatuses.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    s -> s, java.util.TreeMap::new, java.util.stream.Collectors.counting())),
        Duration.ofNanos(sorted.get(sorted.size() / 2)).toMillis(),
        p99.toMillis(),
        baseline >> 20,
        maxLiveHeap >> 20,
        perRequest >> 10,
        LIVE_HEAP_BOUND >> 20,
        P99_BOUND.toMillis());
    String scraped = http.send(HttpRequest.newBuilder(metricsUri).build(), bodyAsString()).body();
    System.out.println(
        "SOAK counters "
            + scraped
                .lines()
                .filter(
                    l ->
                        l.startsWith("gateway_http_slow_clients_total")
                            || l.startsWith("gateway_http_connections_closed_total")
                            || l.startsWith("gateway_auth_review_budget_exhausted_total")
                            || l.startsWith("gateway_redelivery_memory_evictions_total")
                            || l.startsWith("gateway_http_requests_rejected_total"))
                .toList());
    assertThat(maxLiveHeap).isLessThan(LIVE_HEAP_BOUND);
    assertThat(p99).isLessThan(P99_BOUND);
    assertThat(good2xx).isEqualTo(sorted.size());
  }

  /**
   * Live heap growth per distinct maximal body (1,000 rejected alerts) while the redelivery memory
   * fills: 300 bodies, one at a time, measured after a full GC before and after.
   */
  private long retainedPerMaximalBody(URI signals, String token, URI metrics, long before)
      throws Exception {
    int bodies = 300;
    for (int i = 0; i < bodies; i++) {
      assertThat(post(signals, token, unmanagedNodeBody())).isEqualTo(207);
    }
    long after = liveHeapAfterGc(metrics);
    return Math.max(0, after - before) / bodies;
  }

  private String token(String user) {
    String token = UUID.randomUUID().toString();
    cluster
        .reviews()
        .token(
            token,
            new AccessReviewResponder.User(
                user, "uid-" + user, List.of("system:serviceaccounts:monitoring")));
    return token;
  }

  private Process startJar(int api, int health, int metrics) throws IOException {
    String server = cluster.client().getConfiguration().getMasterUrl();
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters: [{name: mock, cluster: {server: "%s"}}]
            users: [{name: gateway, user: {token: gateway-token}}]
            contexts: [{name: mock, context: {cluster: mock, user: gateway}}]
            current-context: mock
            """
                .formatted(server));
    Path config =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
            server:
              listenAddr: "127.0.0.1:%d"
              healthAddr: "127.0.0.1:%d"
              metricsAddr: "127.0.0.1:%d"
            cluster:
              id: "here"
            datastorage:
              url: ""
            audit:
              file: "%s"
            auth:
              mode: kubernetes
            logging:
              level: WARN
            """
                .formatted(api, health, metrics, dir.resolve("audit.jsonl")));
    String jar = System.getProperty("gateway.jar", "target/kubernaut-gateway.jar");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                jar,
                "--config",
                config.toString(),
                "--kubeconfig",
                kubeconfig.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("gateway.log").toFile());
    builder.environment().put("KUBERNAUT_CONTROLLER_NAMESPACE", MockCluster.CONTROLLER_NAMESPACE);
    return builder.start();
  }

  /** Forces a full GC in the gateway and reads its heap in use right after. */
  private long liveHeapAfterGc(URI metrics) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "GC.run")
            .redirectErrorStream(true)
            .start();
    jcmd.getInputStream().readAllBytes();
    assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String body = http.send(HttpRequest.newBuilder(metrics).build(), bodyAsString()).body();
    Matcher used =
        Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.E+]+)").matcher(body);
    double total = 0;
    while (used.find()) {
      total += Double.parseDouble(used.group(1));
    }
    return (long) total;
  }

  private int post(URI uri, String token, String body) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static HttpResponse.BodyHandler<String> bodyAsString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private interface Step {
    Object run() throws Exception;
  }

  private Object loop(Step step, AtomicLong count) {
    while (running.get()) {
      try {
        step.run();
      } catch (Exception e) {
        // an abusive client that is cut off just tries again
      }
      count.incrementAndGet();
    }
    return null;
  }

  /** Declares a huge body without a token, gets the 401, then trickles a byte a second. */
  private Object slowBodyAfterRefusal(int api) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", api)) {
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/signals/prometheus HTTP/1.1\r\nHost: gateway\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 60000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      while (running.get()) {
        try {
          if (in.read() < 0) {
            return null;
          }
        } catch (java.net.SocketTimeoutException e) {
          out.write('x');
          out.flush();
        }
      }
    }
    return null;
  }

  /**
   * Thousand-alert webhooks back to back on one connection, never reading an answer, until the
   * server cuts the connection off at its write deadline.
   */
  private Object pipelineWithoutReading(int api, String token) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(1024);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", api));
      OutputStream out = socket.getOutputStream();
      while (running.get()) {
        String body = unmanagedNodeBody();
        out.write(
            ("POST /api/v1/signals/prometheus HTTP/1.1\r\nHost: gateway\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Bearer "
                    + token
                    + "\r\nContent-Length: "
                    + body.length()
                    + "\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.US_ASCII));
      }
    }
    return null;
  }

  /** One request on a kept-alive connection, then silence until the server lets go. */
  private Object idleConnection(int api, int client) throws IOException {
    try (Socket socket =
        new Socket(
            InetAddress.getLoopbackAddress(),
            api,
            InetAddress.getByName("127.0.2." + (1 + client % 200)),
            0)) {
      socket.setSoTimeout(1_000);
      socket
          .getOutputStream()
          .write("GET /nope HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      while (running.get()) {
        try {
          if (in.read() < 0) {
            return null;
          }
        } catch (java.net.SocketTimeoutException e) {
          // still held open
        }
      }
    }
    return null;
  }

  private static final AtomicLong distinct = new AtomicLong();

  private static String unmanagedNodeBody() {
    long n = distinct.incrementAndGet();
    StringBuilder alerts = new StringBuilder();
    String now = Instant.now().toString();
    for (int i = 0; i < 1000; i++) {
      alerts
          .append(i == 0 ? "" : ",")
          .append("{\"labels\":{\"alertname\":\"NodeAlert")
          .append(n)
          .append('-')
          .append(i)
          .append("\",\"node\":\"worker-9\"},\"startsAt\":\"")
          .append(now)
          .append("\"}");
    }
    return "{\"alerts\":[" + alerts + "]}";
  }

  private static String hugeClusterBody() {
    long n = distinct.incrementAndGet();
    StringBuilder alerts = new StringBuilder();
    String now = Instant.now().toString();
    for (int i = 0; i < 1000; i++) {
      alerts
          .append(i == 0 ? "" : ",")
          .append("{\"labels\":{\"alertname\":\"Far")
          .append(n)
          .append('-')
          .append(i)
          .append("\",\"namespace\":\"demo\",\"pod\":\"p\"},\"startsAt\":\"")
          .append(now)
          .append("\"}");
    }
    return "{\"commonLabels\":{\"cluster\":\""
        + "x".repeat(16_000)
        + "\"},\"alerts\":["
        + alerts
        + "]}";
  }

  private static String tinyBody() {
    return "{\"alerts\":[{\"labels\":{\"alertname\":\"Junk\",\"namespace\":\"demo\"}}]}";
  }

  private static String junkToken() {
    long n = distinct.incrementAndGet();
    return n % 2 == 0 ? UUID.randomUUID().toString() : "junk{" + "z".repeat(5000) + n + "}";
  }

  private static String goodBody(long n) {
    return "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\","
        + "\"severity\":\"critical\",\"namespace\":\"demo\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"},"
        + "\"annotations\":{\"summary\":\"attempt "
        + n
        + "\"},\"startsAt\":\""
        + Instant.now()
        + "\"}]}";
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
