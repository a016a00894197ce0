package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.LocalHttp;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, started the way the README says, in embedded mode. */
class GatewayJarIT {

  @TempDir Path dir;
  private Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void embeddedModeTurnsAWebhookIntoARemediationRequestAndStopsCleanlyOnSigterm() throws Exception {
    int api = LocalHttp.freePort();
    int health = LocalHttp.freePort();
    Path kubeconfig = dir.resolve("embedded.kubeconfig");
    Path config =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
            server:
              listenAddr: "127.0.0.1:%d"
              healthAddr: "127.0.0.1:%d"
              metricsAddr: "127.0.0.1:%d"
            embedded:
              kubeconfig: "%s"
            audit:
              file: "%s"
            """
                .formatted(
                    api, health, LocalHttp.freePort(), kubeconfig, dir.resolve("audit.jsonl")));
    Path log = dir.resolve("gateway.log");
    process = start(log, "--config", config.toString());

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> LocalHttp.status(http, "http://127.0.0.1:" + health + "/readyz") == 200);
    // /readyz turns 200 once the caches sync, a moment before the API listener's start is logged.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Files.readString(log))
                    .contains("EMBEDDED MODE")
                    .contains(
                        "audit events are appended to "
                            + dir.resolve("audit.jsonl")
                            + " (embedded mode)")
                    .contains(
                        "kubectl --kubeconfig " + kubeconfig + " get remediationrequests -A"));

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api + "/api/v1/signals/prometheus"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EmbeddedModeBanner.sampleAlert()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);

    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
            .build()) {
      List<RemediationRequest> requests =
          client
              .resources(RemediationRequest.class)
              .inNamespace("kubernaut-system")
              .list()
              .getItems();
      assertThat(requests)
          .singleElement()
          .satisfies(
              rr -> {
                assertThat(rr.getSpec().getTargetResource().getKind()).isEqualTo("Deployment");
                assertThat(rr.getSpec().getTargetResource().getName()).isEqualTo("checkout");
                assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isEqualTo(1);
              });
    }

    process.destroy();
    assertThat(process.waitFor(40, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readString(log)).contains("stopped");
  }

  @Test
  void invalidConfigExitsWith2AndNamesTheKey() throws Exception {
    Path config =
        Files.writeString(dir.resolve("bad.yaml"), "server:\n  maxConcurrentRequests: lots\n");
    Path log = dir.resolve("bad.log");

    process = start(log, "--config", config.toString(), "--embedded");

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "invalid config server.maxConcurrentRequests=\"lots\": must be an integer from 0 to 10000");
  }

  private Process start(Path log, String... args) throws IOException {
    String jar = System.getProperty("gateway.jar", "target/kubernaut-gateway.jar");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
