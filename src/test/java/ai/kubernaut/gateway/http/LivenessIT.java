package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.audit.spool.FaultyFiles;
import ai.kubernaut.gateway.audit.spool.Spool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /healthz} over real HTTP, fed by a real audit spool that hits an injected disk error. */
class LivenessIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final FaultyFiles files = new FaultyFiles();
  private Spool spool;
  private WebServer server;

  @BeforeEach
  void start() throws IOException {
    spool = Spool.open(dir.resolve("spool"), 1024 * 1024, Clock.systemUTC(), files);
    server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(
                routing ->
                    OperationalRoutes.health(
                        routing, new Readiness(), spool::failure, JSON, Clock.systemUTC()))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws IOException {
    server.stop();
    spool.close();
  }

  @Test
  void livenessFailsOnceTheAuditSpoolHitADiskErrorSoThePodIsRestarted() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);

    files.failNextForce();
    long seq = spool.append(List.of("event".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> spool.awaitDurable(seq)).isInstanceOf(IOException.class);
    assertThat(files.injected()).as("the fsync error happened").isEqualTo(1);

    HttpResponse<String> health = get("/healthz");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.path("status").asInt()).isEqualTo(503);
    assertThat(body.path("detail").asText()).contains("audit spool disk error");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
