package ai.kubernaut.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import ai.kubernaut.gateway.testing.OtlpReceiver;
import ai.kubernaut.gateway.testing.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces leave the gateway over OTLP/HTTP only when the environment or the config asks. */
class TracingIT {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @TempDir Path dir;
  MockCluster cluster;
  OtlpReceiver receiver;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
    cluster.close();
  }

  @Test
  void aSignalsTraceContinuesTheSendersTraceAndReachesTheCollector() {
    Map<String, String> env =
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "50");
    try (GatewayHarness gateway = GatewayHarness.start(cluster, dir, "", env)) {
      int status = sendTracedSignal(gateway);

      assertThat(status).isEqualTo(201);
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  received()
                      .contains(HexFormat.of().parseHex(TRACE_ID))
                      .containsText("POST /api/v1/signals/prometheus")
                      .containsText("resolve target")
                      .containsText("record incident")
                      .containsText("create remediationrequests"));
    }
  }

  @Test
  void anHttpsCollectorWhoseCaIsOnlyInSslCertFileReceivesTraces() throws Exception {
    SelfSignedCertificate ca = SelfSignedCertificate.issue(dir, "collector-ca");
    ca.writePem(dir.resolve("ca"));
    try (OtlpReceiver https = OtlpReceiver.startHttps(ca.serverContext())) {
      Map<String, String> env =
          Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT", https.endpoint(),
              "OTEL_BSP_SCHEDULE_DELAY", "50",
              "SSL_CERT_FILE", dir.resolve("ca").resolve("tls.crt").toString());
      try (GatewayHarness gateway = GatewayHarness.start(cluster, dir, "", env)) {
        assertThat(sendTracedSignal(gateway)).isEqualTo(201);

        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> received(https).contains(HexFormat.of().parseHex(TRACE_ID)));
      }
    }
  }

  @Test
  void theConfiguredEndpointIsUsedWhenTheEnvironmentNamesNone() {
    String yaml = "telemetry:\n  endpoint: \"" + receiver.endpoint() + "\"\n";
    try (GatewayHarness gateway =
        GatewayHarness.start(cluster, dir, yaml, Map.of("OTEL_BSP_SCHEDULE_DELAY", "50"))) {
      sendTracedSignal(gateway);

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> received().contains(HexFormat.of().parseHex(TRACE_ID)));
    }
  }

  @Test
  void nothingIsExportedWhenTheTracesExporterIsNone() {
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
            "OTEL_TRACES_EXPORTER", "none",
            "OTEL_BSP_SCHEDULE_DELAY", "50");
    try (GatewayHarness gateway = GatewayHarness.start(cluster, dir, "", env)) {
      assertThat(sendTracedSignal(gateway)).isEqualTo(201);
    }

    assertThat(receiver.exports()).isEmpty();
  }

  private static int sendTracedSignal(GatewayHarness gateway) {
    return gateway
        .post(
            AlertmanagerSource.PATH,
            Fixtures.bytes("alertmanager/firing-pod.json"),
            Map.of("Content-Type", "application/json", "traceparent", TRACEPARENT))
        .statusCode();
  }

  private Bytes received() {
    return received(receiver);
  }

  private static Bytes received(OtlpReceiver from) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    from.exports().forEach(all::writeBytes);
    return new Bytes(all.toByteArray());
  }

  /** Protobuf bytes, searched for raw ids and for the UTF-8 strings (span names) they carry. */
  private record Bytes(byte[] content) {
    Bytes contains(byte[] needle) {
      assertThat(indexOf(needle))
          .as("contains %s", HexFormat.of().formatHex(needle))
          .isNotNegative();
      return this;
    }

    Bytes containsText(String text) {
      assertThat(indexOf(text.getBytes(StandardCharsets.UTF_8)))
          .as("contains %s", text)
          .isNotNegative();
      return this;
    }

    private int indexOf(byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= content.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (content[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
