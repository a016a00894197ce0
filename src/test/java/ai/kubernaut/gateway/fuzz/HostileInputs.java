package ai.kubernaut.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.intake.SignalReader;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import ai.kubernaut.gateway.testing.SourceBodies;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fuzz targets. An input's first byte picks the route and the headers; the rest is the body.
 * Seeds are the recorded fixtures behind such a byte.
 */
final class HostileInputs {

  static final GatewayConfig.Limits LIMITS =
      new GatewayConfig.Limits(1000, 128, 316, 16_384, 32, 65_536);
  private static final GatewayConfig.Freshness FRESHNESS =
      new GatewayConfig.Freshness(true, Duration.ofMinutes(5), Duration.ofMinutes(2));
  private static final SignalReader<?> ALERTMANAGER =
      SourceBodies.reader(
          new AlertmanagerSource(new ai.kubernaut.gateway.kube.BuiltInResourceKinds()),
          LIMITS,
          FRESHNESS);
  private static final SignalReader<?> EVENTS =
      SourceBodies.reader(new KubernetesEventSource(), LIMITS, FRESHNESS);
  private static final List<String> CONTENT_TYPES =
      List.of("application/json", "application/json; charset=utf-8", "text/plain", "json", "");
  private static final ObjectMapper JSON = new ObjectMapper();

  static final AtomicLong EXECUTIONS = new AtomicLong();

  private HostileInputs() {}

  /** The sources' readers (limits, freshness, adapter): every body is read, none throws. */
  static void adapters(byte[] input) {
    EXECUTIONS.incrementAndGet();
    if (input.length == 0) {
      return;
    }
    boolean webhook = (input[0] & 1) == 0;
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    Instant now = Instant.parse("2026-11-21T12:00:00Z");
    SignalReader.Reading reading =
        (webhook ? ALERTMANAGER : EVENTS).read(body, timestamp(input[0]), now);
    if (reading instanceof SignalReader.Malformed m) {
      assertThat(m.detail()).isNotBlank();
    } else if (reading instanceof SignalReader.Refused r) {
      assertThat(r.rejection().status()).isIn(400, 413);
    }
  }

  /** A gateway in this JVM behind a mock API server, with freshness on and auth off. */
  static final class Gateway {
    static final MockCluster CLUSTER = MockCluster.start();
    static final GatewayHarness HARNESS;

    static {
      CLUSTER.managedNamespace("demo");
      CLUSTER.deploymentWithPod("demo", "checkout", Map.of());
      try {
        HARNESS =
            GatewayHarness.start(
                CLUSTER, Files.createTempDirectory("http-fuzz"), "freshness:\n  enabled: true\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private Gateway() {}
  }

  /** The whole HTTP path: never a 500, and every refusal is a well-formed RFC 7807 problem. */
  static void http(byte[] input) {
    EXECUTIONS.incrementAndGet();
    if (input.length == 0) {
      return;
    }
    int selector = input[0] & 0xff;
    String path = (selector & 1) == 0 ? AlertmanagerSource.PATH : KubernetesEventSource.PATH;
    Map<String, String> headers = new HashMap<>();
    String contentType = CONTENT_TYPES.get((selector >> 1) % CONTENT_TYPES.size());
    if (!contentType.isEmpty()) {
      headers.put("Content-Type", contentType);
    }
    timestamp(input[0]).ifPresent(t -> headers.put("X-Timestamp", t));
    GatewayHarness gateway = Gateway.HARNESS;
    HttpResponse<String> response;
    // a refusal before the body is read closes the connection, so the next input opens a new one
    SilentCloseable loopbackOnly =
        BugDetectors.allowNetworkConnections(
            (host, port) -> host.startsWith("127.") || host.equals("localhost"));
    try {
      response = gateway.post(path, Arrays.copyOfRange(input, 1, input.length), headers);
    } finally {
      loopbackOnly.close();
    }
    int status = response.statusCode();
    assertThat(status).as(response.body()).isNotEqualTo(500);
    if (status >= 400) {
      assertWellFormedProblem(response);
    }
  }

  static void assertWellFormedProblem(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem;
    try {
      problem = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("problem body is not JSON: " + response.body(), e);
    }
    assertThat(problem.path("type").asText()).isNotBlank();
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(problem.path("status").asInt()).isEqualTo(response.statusCode());
  }

  private static Optional<String> timestamp(byte selector) {
    long now = Instant.now().getEpochSecond();
    return switch ((selector >> 4) & 3) {
      case 1 -> Optional.of(Long.toString(now));
      case 2 -> Optional.of(Long.toString(now - 3600));
      case 3 -> Optional.of("not-a-number");
      default -> Optional.empty();
    };
  }
}
