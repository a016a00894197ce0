package ai.kubernaut.gateway.http;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The JVM's counterparts of Go's {@code /debug/pprof/*}, served on the health listener when {@code
 * debug.pprofEnabled} is true: a thread dump that includes virtual threads, and a JFR recording of
 * a bounded number of seconds streamed back (open it with {@code jfr print} or JDK Mission
 * Control).
 */
final class JvmProfiling {

  static final String PREFIX = "/debug/pprof";
  static final int DEFAULT_SECONDS = 30;
  static final int MAX_SECONDS = 60;

  private final JsonResponses responses;
  private final Semaphore recording = new Semaphore(1);

  JvmProfiling(JsonResponses responses) {
    this.responses = responses;
  }

  void register(HttpRouting.Builder routing) {
    routing.get(PREFIX + "/", (req, res) -> res.send(index()));
    routing.get(PREFIX + "/threads", this::threads);
    routing.get(PREFIX + "/goroutine", this::threads);
    routing.get(PREFIX + "/profile", this::profile);
  }

  private static String index() {
    return """
        JVM diagnostics (the counterparts of Go's pprof):
          %1$s/threads               thread dump, virtual threads included (?format=json for JSON)
          %1$s/goroutine             the same thread dump, under Go's name
          %1$s/profile?seconds=N     a JFR recording of N seconds (1 to %2$d, default %3$d)
        """
        .formatted(PREFIX, MAX_SECONDS, DEFAULT_SECONDS);
  }

  private void threads(ServerRequest req, ServerResponse res) throws IOException {
    boolean json = "json".equals(req.query().first("format").orElse("text"));
    Path dir = Files.createTempDirectory("thread-dump");
    Path file = dir.resolve(json ? "threads.json" : "threads.txt");
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(
              file.toString(),
              json
                  ? HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON
                  : HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
      res.header(HeaderNames.CONTENT_TYPE, json ? "application/json" : "text/plain; charset=utf-8");
      stream(file, res);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private void profile(ServerRequest req, ServerResponse res) throws Exception {
    Optional<Integer> seconds = seconds(req.query().first("seconds").orElse(null));
    if (seconds.isEmpty()) {
      responses.problem(req, res, 400, "seconds must be a whole number from 1 to " + MAX_SECONDS);
      return;
    }
    if (!recording.tryAcquire()) {
      responses.unavailable(req, res, "a JFR recording is already running", seconds.get());
      return;
    }
    Path dir = Files.createTempDirectory("jfr");
    Path file = dir.resolve("profile.jfr");
    try (Recording jfr = new Recording(Configuration.getConfiguration("profile"))) {
      jfr.setName("debug-pprof-profile");
      jfr.start();
      Thread.sleep(Duration.ofSeconds(seconds.get()));
      jfr.stop();
      jfr.dump(file);
      res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
      res.header(
          HeaderNames.CONTENT_DISPOSITION,
          "attachment; filename=\"profile-" + seconds.get() + "s.jfr\"");
      stream(file, res);
    } finally {
      recording.release();
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  static Optional<Integer> seconds(String text) {
    if (text == null) {
      return Optional.of(DEFAULT_SECONDS);
    }
    try {
      int value = Integer.parseInt(text.trim());
      return value >= 1 && value <= MAX_SECONDS ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void stream(Path file, ServerResponse res) {
    try {
      res.contentLength(Files.size(file));
      try (OutputStream out = res.outputStream()) {
        Files.copy(file, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
