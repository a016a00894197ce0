package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.embedded.EmbeddedKubeconfig;
import ai.kubernaut.gateway.testing.FakeDataStorage;
import ai.kubernaut.gateway.testing.LocalHttp;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed with SIGKILL while DataStorage is down, and again while a batch is in
 * flight: every audit event of every signal answered 2xx is delivered after the restart, and the
 * only duplicates are the events of the batch that was in flight. Then with kills at random points
 * under concurrent load, a DataStorage that answers 404 before it recovers, and a bit flipped in a
 * sealed spool segment: every event of every signal answered 2xx arrives exactly once after
 * removing copies with the same id, except the one damaged on disk, which is reported lost. (Disk
 * write and fsync errors need a fault seam in the process: {@code AuditFaultIT}.)
 */
@Tag("slow")
class AuditCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH_SIZE = 5;
  private static final String FIRING =
      """
      {"alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping",\
      "severity":"critical","namespace":"demo","pod":"%s"},"annotations":{"delivery":"%d"},\
      "startsAt":"2026-01-01T00:00:00Z"}]}\
      """;

  @TempDir Path dir;
  private MockCluster cluster;
  private FakeDataStorage dataStorage;
  private Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> pods = new ArrayList<>();
  private int api;
  private int health;
  private Path config;
  private Path currentLog;

  @BeforeEach
  void start() throws IOException {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    pods.add(cluster.deploymentWithPod("demo", "checkout", Map.of()));
    pods.add(cluster.deploymentWithPod("demo", "cart", Map.of()));
    dataStorage = FakeDataStorage.downOn(LocalHttp.freePort());
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        EmbeddedKubeconfig.render(
            cluster.client().getMasterUrl().toString(), MockCluster.CONTROLLER_NAMESPACE));
    Files.writeString(dir.resolve("token"), "gateway-token");
    api = LocalHttp.freePort();
    health = LocalHttp.freePort();
    config =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
            server:
              listenAddr: "127.0.0.1:%d"
              healthAddr: "127.0.0.1:%d"
              metricsAddr: "127.0.0.1:%d"
            datastorage:
              url: "%s"
              healthUrl: "%s/readyz"
              timeout: 10s
              buffer:
                batchSize: %d
                flushInterval: 50ms
            audit:
              tokenFile: "%s"
              retry:
                initialBackoff: 50ms
                maxBackoff: 200ms
              spool:
                directory: "%s"
                maxBytes: 65536
            auth:
              mode: none
            """
                .formatted(
                    api,
                    health,
                    LocalHttp.freePort(),
                    dataStorage.url(),
                    dataStorage.url(),
                    BATCH_SIZE,
                    dir.resolve("token"),
                    dir.resolve("spool")));
  }

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    dataStorage.close();
    cluster.close();
  }

  @Test
  void everyAuditEventOfAnAcknowledgedSignalSurvivesSigkillAndDuplicatesStayWithinOneBatch()
      throws Exception {
    process = startGateway("run-1.log");
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> response = postAlert(pods.get(i % 2), i);
      assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
      expected.addAll(expectedEvents(JSON.readTree(response.body())));
    }
    assertThat(expected).hasSize(14);
    assertThat(dataStorage.requests()).isEmpty();

    kill();
    assertThat(Files.readString(dir.resolve("run-1.log"))).doesNotContain("stopped");

    // Second run: DataStorage is back, receives (and stores) the first batch, but the gateway is
    // killed before it hears the answer.
    dataStorage.hold().up();
    process = startGateway("run-2.log");
    assertThat(dataStorage.awaitHeld(Duration.ofSeconds(60))).isTrue();
    kill();
    dataStorage.release();
    assertThat(Files.readString(dir.resolve("run-2.log")))
        .contains("14 undelivered events from an earlier run");
    List<String> inFlight =
        dataStorage.requests().getFirst().events().stream().map(AuditCrashIT::key).toList();
    assertThat(inFlight).hasSize(BATCH_SIZE);

    process = startGateway("run-3.log");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> keys(dataStorage.accepted()).containsAll(expected));

    List<String> arrived = keys(dataStorage.accepted());
    assertThat(new HashSet<>(arrived)).isEqualTo(expected);
    Map<String, Integer> times = new HashMap<>();
    arrived.forEach(k -> times.merge(k, 1, Integer::sum));
    List<String> duplicated =
        times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    assertThat(duplicated).containsExactlyInAnyOrderElementsOf(inFlight);
    assertThat(times.values()).allMatch(n -> n <= 2);
    assertThat(dataStorage.schemaProblems()).isEmpty();
  }

  @Test
  void randomKillsA404DataStorageAndABitFlipInASealedSegmentLoseOnlyTheDamagedEvent()
      throws Exception {
    long seed = Long.getLong("audit.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println(
        "audit crash suite seed " + seed + " (replay: -Daudit.crash.seed=" + seed + ")");
    Set<String> expected = ConcurrentHashMap.newKeySet();
    AtomicInteger deliveries = new AtomicInteger();

    // Run 1: DataStorage answers 404 to every batch (a wrong URL); killed under load, once a batch
    // was refused and a segment sealed (the bit flip needs one), however fast the senders were.
    dataStorage.answer(404).up();
    process = startGateway("fault-run-1.log");
    postUntilKilled(
        12 + random.nextInt(8),
        expected,
        deliveries,
        () -> dataStorage.answered(404) > 0 && segments().size() > 1);
    assertThat(dataStorage.accepted()).isEmpty();
    assertThat(dataStorage.answered(404)).isPositive();

    String lost = flipABitInASealedSegment(random);

    // Run 2: DataStorage recovers after a few more 404s; killed at a random point of delivery.
    AtomicInteger refusals = new AtomicInteger(2 + random.nextInt(4));
    dataStorage.answer(events -> refusals.getAndDecrement() > 0 ? 404 : 201);
    process = startGateway("fault-run-2.log");
    int acceptedBeforeKill = 1 + random.nextInt(4);
    postUntilKilled(
        4 + random.nextInt(6),
        expected,
        deliveries,
        () ->
            dataStorage.requests().stream().filter(r -> r.accepted()).count()
                >= acceptedBeforeKill);
    assertThat(Files.readString(dir.resolve("fault-run-2.log"))).contains("LOST");

    // Run 3: everything left is delivered.
    process = startGateway("fault-run-3.log");
    expected.remove(lost);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> uniqueEvents(dataStorage.accepted()).keySet().containsAll(expected));

    Map<String, Integer> copies = uniqueEvents(dataStorage.accepted());
    assertThat(copies.keySet()).containsAll(expected).doesNotContain(lost);
    assertThat(copies.values()).as("each event under one id, however often sent").containsOnly(1);
    assertThat(dataStorage.schemaProblems()).isEmpty();
  }

  /**
   * Posts alerts from two threads, adding the events each 2xx promises to {@code expected}, until
   * {@code answered} signals were answered and {@code also} holds; then kills the gateway with
   * requests in flight.
   */
  private void postUntilKilled(
      int answered, Set<String> expected, AtomicInteger deliveries, BooleanSupplier also)
      throws Exception {
    AtomicInteger count = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 2; t++) {
        senders.submit(
            () -> {
              while (!killed.get()) {
                int delivery = deliveries.incrementAndGet();
                try {
                  HttpResponse<String> response = postAlert(pods.get(delivery % 2), delivery);
                  if (response.statusCode() / 100 == 2) {
                    expected.addAll(expectedEvents(JSON.readTree(response.body())));
                    count.incrementAndGet();
                  }
                } catch (IOException e) {
                  if (killed.get()) {
                    return null;
                  }
                  // a connection to the previous, killed process left in the client's pool
                }
              }
              return null;
            });
      }
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> count.get() >= answered && also.getAsBoolean());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        killed.set(true);
        throw new AssertionError(
            count.get()
                + " of "
                + answered
                + " answered 2xx; DataStorage saw "
                + summary()
                + "\ngateway log:\n"
                + logTail(),
            e);
      }
      kill();
      killed.set(true);
    }
  }

  /**
   * Flips one bit in the payload of a random record of a segment that is not the last one (so it
   * was sealed, forced in full) and returns the key of the event that record held.
   */
  private String flipABitInASealedSegment(Random random) throws IOException {
    List<Path> segments = segments();
    assertThat(segments).as("a sealed segment before the last").hasSizeGreaterThan(1);
    Path sealed = segments.getFirst();
    byte[] bytes = Files.readAllBytes(sealed);
    List<Integer> starts = new ArrayList<>();
    for (int at = 0; at + 24 <= bytes.length; at += 24 + ByteBuffer.wrap(bytes, at, 4).getInt()) {
      starts.add(at);
    }
    int start = starts.get(random.nextInt(starts.size()));
    int length = ByteBuffer.wrap(bytes, start, 4).getInt();
    String key = key(JSON.readTree(new String(bytes, start + 24, length, StandardCharsets.UTF_8)));
    bytes[start + 24 + length / 2] ^= 0x10;
    Files.write(sealed, bytes);
    return key;
  }

  /** The spool's segment files, oldest first. */
  private List<Path> segments() {
    try (var files = Files.list(dir.resolve("spool"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(currentLog);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private String summary() {
    return dataStorage.requests().stream()
        .map(r -> r.status() + "x" + r.events().size())
        .toList()
        .toString();
  }

  /** Events by what they record, each counted once per distinct id. */
  private static Map<String, Integer> uniqueEvents(List<JsonNode> events) {
    Map<String, String> byId = new HashMap<>();
    for (JsonNode event : events) {
      String id =
          event.path("event_type").asText()
              + "|"
              + event.path("correlation_id").asText()
              + "|"
              + event.path("event_timestamp").asText();
      byId.put(id, key(event));
    }
    Map<String, Integer> copies = new HashMap<>();
    byId.values().forEach(k -> copies.merge(k, 1, Integer::sum));
    return copies;
  }

  /** The events a 2xx answer promises: two for a new incident, one for a repeat. */
  private static List<String> expectedEvents(JsonNode body) {
    if (body.path("status").asText().equals("created")) {
      String name = body.path("remediationRequestName").asText();
      return List.of("gateway.signal.received/" + name, "gateway.crd.created/" + name);
    }
    String ref = body.path("metadata").path("remediationRequestRef").asText();
    String name = ref.substring(ref.indexOf('/') + 1);
    return List.of(
        "gateway.signal.deduplicated/" + name + "#" + body.path("metadata").path("count").asInt());
  }

  private static String key(JsonNode event) {
    String type = event.path("event_type").asText();
    String key = type + "/" + event.path("correlation_id").asText();
    return type.endsWith("deduplicated")
        ? key + "#" + event.path("event_data").path("occurrence_count").asInt()
        : key;
  }

  private static List<String> keys(List<JsonNode> events) {
    return events.stream().map(AuditCrashIT::key).toList();
  }

  private void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  private Process startGateway(String logName) throws IOException {
    String jar = System.getProperty("gateway.jar", "target/kubernaut-gateway.jar");
    Path log = dir.resolve(logName);
    currentLog = log;
    Process started =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar,
                "--config",
                config.toString(),
                "--kubeconfig",
                dir.resolve("kubeconfig").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> LocalHttp.status(http, "http://127.0.0.1:" + health + "/readyz") == 200);
    return started;
  }

  /** Posts an alert about {@code pod}; bodies differ so each post is a signal, not a redelivery. */
  private HttpResponse<String> postAlert(String pod, int delivery)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/api/v1/signals/prometheus"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(FIRING.formatted(pod, delivery)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
