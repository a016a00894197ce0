package ai.kubernaut.gateway.e2e;

import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.testing.LocalHttp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Alertmanager binary on a loopback port with its own storage directory and clustering off,
 * driven through its HTTP API.
 */
final class AlertmanagerProcess implements AutoCloseable {

  /** Set by CI to the binary it installed; the tests then fail rather than skip without it. */
  static final String BINARY_VARIABLE = "ALERTMANAGER_BIN";

  private static final List<String> NAMES = List.of("alertmanager", "prometheus-alertmanager");

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AlertmanagerProcess(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * The binary: {@value #BINARY_VARIABLE} if set, else {@code alertmanager} or Debian's {@code
   * prometheus-alertmanager} on the PATH.
   */
  static Optional<Path> binary() {
    String configured = System.getenv(BINARY_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    return NAMES.stream()
        .flatMap(
            name ->
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter(dir -> !dir.isBlank())
                    .map(dir -> Path.of(dir, name)))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Starts Alertmanager with {@code config} in {@code dir} and waits until it is ready. */
  static AlertmanagerProcess start(Path binary, Path dir, String config) throws IOException {
    Path configFile = Files.writeString(dir.resolve("alertmanager.yml"), config);
    Path storage = Files.createDirectories(dir.resolve("data"));
    Path log = dir.resolve("alertmanager.log");
    int port = LocalHttp.freePort();
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + configFile,
                "--storage.path=" + storage,
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=debug")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    AlertmanagerProcess alertmanager =
        new AlertmanagerProcess(process, URI.create("http://127.0.0.1:" + port), log);
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .failFast("alertmanager exited; see " + log, () -> !process.isAlive())
          .ignoreExceptions()
          .until(() -> alertmanager.get("/-/ready").statusCode() == 200);
    } catch (RuntimeException e) {
      alertmanager.close();
      throw e;
    }
    return alertmanager;
  }

  /** {@code POST /api/v2/alerts} with a JSON array of alerts, as Prometheus sends them. */
  void postAlerts(String alertsJson) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(base.resolve("/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alertsJson))
                .build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "alertmanager refused the alerts: " + response.statusCode() + " " + response.body());
    }
  }

  /** The sum of a counter's series whose labels contain {@code labelsContain}, 0 when absent. */
  double metric(String name, String labelsContain) {
    Matcher line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE)
            .matcher(get("/metrics").body());
    double sum = 0;
    while (line.find()) {
      if (line.group(1) != null && line.group(1).contains(labelsContain)) {
        sum += Double.parseDouble(line.group(2));
      }
    }
    return sum;
  }

  Path log() {
    return log;
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
