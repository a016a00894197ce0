package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.FakeDataStorage;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit spool on a real filesystem that fills up: a 1 MiB tmpfs mounted for the test (needs
 * root, as on the project's machines; elsewhere the test is skipped and says so).
 */
class AuditDiskFullIT {

  private static final String FIRING =
      """
      {"alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping",\
      "severity":"critical","namespace":"demo","pod":"checkout-7d9f8b6c5-x2k4p"},\
      "annotations":{"delivery":"%d"}}]}""";

  @TempDir Path dir;
  private final AtomicInteger deliveries = new AtomicInteger();
  private Path disk;
  private boolean mounted;
  private MockCluster cluster;
  private FakeDataStorage dataStorage;
  private GatewayHarness gateway;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectories(dir.resolve("disk"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()) == 0;
    if (!mounted) {
      System.out.println("AuditDiskFullIT skipped: mounting a tmpfs needs root");
    }
    assumeThat(mounted).as("mounting a tmpfs needs root").isTrue();
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    dataStorage = FakeDataStorage.start();
    dataStorage.down();
    Files.writeString(dir.resolve("token"), "gateway-token");
  }

  @AfterEach
  void unmount() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (dataStorage != null) {
      dataStorage.close();
    }
    if (mounted) {
      assertThat(run("umount", disk.toString())).isZero();
    }
  }

  @Test
  void aSignalWhoseEventsDoNotFitOnTheDiskIsAnswered503WithRetryAfterAndLivenessFails()
      throws Exception {
    gateway = start();
    assertThat(postAlert().statusCode()).isEqualTo(201);

    long filled = fill(disk.resolve("filler"));
    FileStore store = Files.getFileStore(disk);
    assertThat(store.getUsableSpace()).as("the disk is full (%d bytes of filler)", filled).isZero();

    // The spool's last page may still have room: signals fit until an append needs a new block.
    HttpResponse<String> refused = postAlert();
    for (int i = 0; i < 100 && refused.statusCode() == 202; i++) {
      refused = postAlert();
    }

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(GatewayHarness.parse(refused.body()).path("detail").asText())
        .contains("audit trail could not be recorded");
    HttpResponse<String> ready = gateway.health("/readyz");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(
            GatewayHarness.parse(ready.body())
                .path("checks")
                .path("auditSpool")
                .path("ok")
                .asBoolean(true))
        .isFalse();
    assertThat(postAlert().statusCode())
        .as("later signals are refused at the door while the spool has failed")
        .isEqualTo(503);
    assertThat(gateway.health("/healthz").statusCode())
        .as("only a restart reopens a failed spool, so liveness fails")
        .isEqualTo(503);
  }

  /** Writes zeros to {@code file} until the filesystem refuses more; returns how many it took. */
  private static long fill(Path file) {
    long written = 0;
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
        written += block.length;
      }
    } catch (IOException e) {
      return written; // No space left on device
    }
  }

  private GatewayHarness start() {
    String url = dataStorage.url();
    return GatewayHarness.start(
        cluster,
        dir,
        """
        datastorage:
          url: "%s"
          healthUrl: "%s/readyz"
          buffer:
            flushInterval: 20ms
        audit:
          tokenFile: "%s"
          spool:
            directory: "%s"
            maxBytes: 16777216
        """
            .formatted(url, url, dir.resolve("token"), disk.resolve("spool")));
  }

  private HttpResponse<String> postAlert() {
    return gateway.post(AlertmanagerSource.PATH, FIRING.formatted(deliveries.incrementAndGet()));
  }

  private static int run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    if (process.exitValue() != 0) {
      System.out.println(String.join(" ", command) + ": " + output.strip());
    }
    return process.exitValue();
  }
}
