package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.app.GatewayApp;
import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.testing.LocalHttp;
import ai.kubernaut.gateway.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness is fail-closed until the metadata caches have synced, and start-up waits bounded. */
class CacheReadinessIT {

  static final String STATEFULSETS = "/apis/apps/v1/statefulsets";

  @TempDir Path dir;
  MockCluster cluster;
  KubernetesClient client;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
  }

  @Test
  void readinessAnswers503NamingTheUnsyncedCachesUntilTheySync() throws Exception {
    int healthPort = LocalHttp.freePort();
    cluster.faults().fail("GET", STATEFULSETS, 503, 1_000_000);
    GatewayConfig config = config("127.0.0.1:" + healthPort, "30s");

    CompletableFuture<GatewayApp> starting =
        CompletableFuture.supplyAsync(() -> GatewayApp.start(config, client, Clock.systemUTC()));
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptions()
          .until(() -> readyz(healthPort).statusCode() == 503);
      HttpResponse<String> notReady = readyz(healthPort);
      assertThat(notReady.body()).contains("statefulsets").doesNotContain("\"pods\"");
      assertThat(starting).isNotDone();
      assertThat(cluster.faults().seen("GET", STATEFULSETS)).allMatch(s -> s.faulted());

      cluster.faults().clearFaults();

      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> readyz(healthPort).statusCode() == 200);
      assertThat(starting.get().readiness().ready()).isTrue();
    } finally {
      starting.thenAccept(GatewayApp::close).exceptionally(e -> null).join();
    }
  }

  @Test
  void startFailsNamingTheCachesThatDidNotSyncInTime() throws Exception {
    cluster.faults().fail("GET", STATEFULSETS, 503, 1_000_000);
    GatewayConfig config = config("127.0.0.1:0", "1s");

    assertThatThrownBy(() -> GatewayApp.start(config, client, Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("metadata caches did not sync within 1s: statefulsets");
    assertThat(cluster.faults().seen("GET", STATEFULSETS)).isNotEmpty().allMatch(s -> s.faulted());
  }

  private GatewayConfig config(String healthAddr, String syncTimeout) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
            server:
              listenAddr: "127.0.0.1:0"
              healthAddr: "%s"
              metricsAddr: "127.0.0.1:0"
              shutdownTimeout: 1s
            audit:
              file: "%s"
            kubernetes:
              cacheSyncTimeout: %s
            """
                .formatted(healthAddr, dir.resolve("audit.jsonl"), syncTimeout));
    return new ConfigLoader(
            Map.of("KUBERNAUT_CONTROLLER_NAMESPACE", MockCluster.CONTROLLER_NAMESPACE), null)
        .load(Optional.of(file));
  }

  private HttpResponse<String> readyz(int port) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
