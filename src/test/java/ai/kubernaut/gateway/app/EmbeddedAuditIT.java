package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.testing.FakeDataStorage;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedded mode replaces only the audit defaults the configuration file leaves unset. */
class EmbeddedAuditIT {

  private static final String ALERT =
      """
      {"alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping",\
      "severity":"critical","namespace":"demo","pod":"checkout-7d9f8b6c5-x2k4p"}}]}""";

  @TempDir Path dir;
  private MockCluster cluster;
  private FakeDataStorage dataStorage;

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    dataStorage = FakeDataStorage.start();
    Files.writeString(dir.resolve("token"), "gateway-token");
  }

  @AfterEach
  void stop() {
    cluster.close();
    dataStorage.close();
  }

  @Test
  void anExplicitDataStorageUrlReceivesTheEventsInEmbeddedMode() throws Exception {
    GatewayConfig config =
        load(
            """
            datastorage:
              url: "%s"
              healthUrl: "%s/readyz"
              buffer:
                flushInterval: 20ms
            """
                .formatted(dataStorage.url(), dataStorage.url()));

    try (GatewayApp app =
        GatewayApp.start(config.forEmbeddedMode(), cluster.newClient(), Clock.systemUTC())) {
      assertThat(post(app).statusCode()).isEqualTo(201);

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(dataStorage.accepted())
                      .extracting(e -> e.path("event_type").asText())
                      .contains("gateway.signal.received"));
    }
    assertThat(dir.resolve("audit.jsonl")).doesNotExist();
  }

  @Test
  void withoutAnExplicitUrlEmbeddedModeKeepsEventsInTheFile() throws Exception {
    GatewayConfig config = load("");

    try (GatewayApp app =
        GatewayApp.start(config.forEmbeddedMode(), cluster.newClient(), Clock.systemUTC())) {
      assertThat(post(app).statusCode()).isEqualTo(201);
    }

    assertThat(Files.readAllLines(dir.resolve("audit.jsonl")))
        .anySatisfy(line -> assertThat(line).contains("gateway.signal.received"));
    assertThat(dataStorage.requests()).isEmpty();
  }

  private GatewayConfig load(String extraYaml) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
            server:
              listenAddr: "127.0.0.1:0"
              healthAddr: "127.0.0.1:0"
              metricsAddr: "127.0.0.1:0"
              shutdownTimeout: 5s
            auth:
              mode: none
            freshness:
              enabled: false
            audit:
              file: "%s"
              tokenFile: "%s"
              spool:
                directory: "%s"
            """
                    .formatted(
                        dir.resolve("audit.jsonl"), dir.resolve("token"), dir.resolve("spool"))
                + extraYaml);
    return new ConfigLoader(
            Map.of("KUBERNAUT_CONTROLLER_NAMESPACE", MockCluster.CONTROLLER_NAMESPACE), null)
        .load(Optional.of(file));
  }

  private static HttpResponse<String> post(GatewayApp app) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.apiPort() + AlertmanagerSource.PATH))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(ALERT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
