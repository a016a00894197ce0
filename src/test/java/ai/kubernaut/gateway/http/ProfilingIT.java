package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code debug.pprofEnabled}: the JVM's thread dump and JFR recordings on the health listener. */
class ProfilingIT {

  @TempDir static Path dir;
  @TempDir Path scratch;
  static MockCluster cluster;
  static GatewayHarness enabled;
  static GatewayHarness disabled;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = MockCluster.start();
    enabled =
        GatewayHarness.start(
            cluster, Files.createDirectories(dir.resolve("on")), "debug:\n  pprofEnabled: true\n");
    disabled = GatewayHarness.start(cluster, Files.createDirectories(dir.resolve("off")));
  }

  @AfterAll
  static void stop() {
    enabled.close();
    disabled.close();
    cluster.close();
  }

  @Test
  void offByDefault() {
    assertThat(disabled.health("/debug/pprof/threads").statusCode()).isEqualTo(404);
    assertThat(disabled.health("/debug/pprof/profile?seconds=1").statusCode()).isEqualTo(404);
  }

  @Test
  void threadDumpListsTheGatewaysThreads() {
    HttpResponse<String> dump = enabled.health("/debug/pprof/threads");

    assertThat(dump.statusCode()).isEqualTo(200);
    assertThat(dump.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(dump.body())
        .contains("\"config-file-watcher\"")
        .contains("\"connection-deadlines\"");
    assertThat(enabled.health("/debug/pprof/goroutine").body()).contains("java.base");
  }

  @Test
  void threadDumpAsJson() {
    HttpResponse<String> dump = enabled.health("/debug/pprof/threads?format=json");

    assertThat(dump.statusCode()).isEqualTo(200);
    assertThat(GatewayHarness.parse(dump.body()).path("threadDump").path("threadContainers").size())
        .isPositive();
  }

  @Test
  void profileStreamsBackAJfrRecordingOfTheAskedLength() throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(health("/debug/pprof/profile?seconds=1"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    Path recording = Files.write(scratch.resolve("profile.jfr"), response.body());
    assertThat(RecordingFile.readAllEvents(recording)).isNotEmpty();
  }

  @Test
  void profileLengthIsBounded() {
    for (String seconds : new String[] {"0", "61", "-1", "ten"}) {
      HttpResponse<String> response = enabled.health("/debug/pprof/profile?seconds=" + seconds);

      assertThat(response.statusCode()).as(seconds).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(response.body()).contains("from 1 to 60");
    }
  }

  private URI health(String path) {
    return URI.create("http://127.0.0.1:" + enabled.app().healthPort() + path);
  }
}
