import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The container image's training run for its class-data archive (see the Dockerfile): starts the
 * gateway jar in embedded mode with {@code -XX:DumpLoadedClassList}, waits for {@code /readyz},
 * sends one alert twice (a new incident, then a duplicate) so that the request path's classes are
 * listed too, and stops it with SIGTERM.
 *
 * <pre>java CdsTraining.java JAR CLASS_LIST</pre>
 */
public class CdsTraining {

  /** Delivery {@code %d}: the same alert, so the second one is a duplicate, not a redelivery. */
  private static final String ALERT =
      """
      {"alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping","severity":"critical",\
      "namespace":"demo","pod":"checkout-7d9f8b6c5-x2k4p"},"annotations":{"delivery":"%d"},\
      "startsAt":"2026-01-01T00:00:00Z"}]}""";

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path classList = Path.of(args[1]).toAbsolutePath();
    Path work = Files.createTempDirectory("cds-training");
    int api = freePort();
    int health = freePort();
    Path config = work.resolve("gateway.yaml");
    Files.writeString(
        config,
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
                api,
                health,
                freePort(),
                work.resolve("embedded.kubeconfig"),
                work.resolve("audit.jsonl")));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process gateway =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-XX:DumpLoadedClassList=" + classList,
                    "-jar",
                    jar.toString(),
                    "--config",
                    config.toString(),
                    "--embedded"))
            .inheritIO()
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      awaitReady(http, gateway, URI.create("http://127.0.0.1:" + health + "/readyz"));
      URI signals = URI.create("http://127.0.0.1:" + api + "/api/v1/signals/prometheus");
      List<String> expected = List.of("201", "202");
      for (int delivery = 0; delivery < expected.size(); delivery++) {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(signals)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ALERT.formatted(delivery)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (!Integer.toString(answer.statusCode()).equals(expected.get(delivery))) {
          throw new IllegalStateException(
              "expected " + expected.get(delivery) + ", got " + answer.statusCode() + ": "
                  + answer.body());
        }
      }
    } finally {
      gateway.destroy();
    }
    int exit = gateway.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the gateway exited with " + exit);
    }
    System.out.println("class list: " + Files.readAllLines(classList).size() + " lines");
  }

  private static void awaitReady(HttpClient http, Process gateway, URI readyz) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive()) {
        throw new IllegalStateException("the gateway exited with " + gateway.exitValue());
      }
      try {
        if (http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notListening) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the gateway was not ready within 5 minutes");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
