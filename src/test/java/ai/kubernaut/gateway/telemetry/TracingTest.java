package ai.kubernaut.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.config.GatewayConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {

  @Test
  void withoutOtelEnvironmentOrEndpointNoSdkStarts() {
    try (Tracing tracing = Tracing.start(new GatewayConfig.Telemetry("", Map.of(), List.of()))) {
      assertThat(tracing.enabled()).isFalse();
      assertThat(tracing.tracer().spanBuilder("x").startSpan().getSpanContext().isValid())
          .isFalse();
    }
  }

  @Test
  void anExporterOrAnEndpointTurnsTracingOn() {
    assertThat(Tracing.enabled(Map.of("OTEL_TRACES_EXPORTER", "otlp"), "")).isTrue();
    assertThat(Tracing.enabled(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ""))
        .isTrue();
    assertThat(Tracing.enabled(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c"), ""))
        .isTrue();
    assertThat(Tracing.enabled(Map.of(), "http://collector:4318")).isTrue();
  }

  @Test
  void noneOrADisabledSdkKeepsTracingOff() {
    assertThat(Tracing.enabled(Map.of("OTEL_SERVICE_NAME", "gw"), "")).isFalse();
    assertThat(
            Tracing.enabled(
                Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"),
                ""))
        .isFalse();
    assertThat(Tracing.enabled(Map.of("OTEL_SDK_DISABLED", "true"), "http://c")).isFalse();
  }
}
