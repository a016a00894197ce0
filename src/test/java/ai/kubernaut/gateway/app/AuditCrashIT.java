package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.testing.FakeDataStorage;
import ai.kubernaut.gateway.testing.LocalHttp;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed with SIGKILL while DataStorage is down, and again while a batch is in
 * flight: every audit event of every signal answered 2xx is delivered after the restart, and the
 * only duplicates are the events of the batch that was in flight.
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
