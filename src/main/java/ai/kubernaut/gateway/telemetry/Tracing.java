package ai.kubernaut.gateway.telemetry;

import ai.kubernaut.gateway.audit.TrustBundle;
import ai.kubernaut.gateway.config.GatewayConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's tracer. Off (the OpenTelemetry API's no-op, no SDK started) unless the standard
 * {@code OTEL_*} variables name an exporter ({@code OTEL_TRACES_EXPORTER} other than {@code none},
 * or an OTLP endpoint) or {@code telemetry.endpoint} is set. When on, the SDK is configured by
 * OpenTelemetry's autoconfigure from those variables, with traces only, exported as OTLP over
 * HTTP/protobuf, and with {@code telemetry.endpoint} as the default OTLP endpoint.
 */
public final class Tracing implements AutoCloseable {

  static final String INSTRUMENTATION = "ai.kubernaut.gateway";

  private final OpenTelemetry openTelemetry;
  private final Optional<OpenTelemetrySdk> sdk;
  private final String description;

  private Tracing(OpenTelemetry openTelemetry, Optional<OpenTelemetrySdk> sdk, String description) {
    this.openTelemetry = openTelemetry;
    this.sdk = sdk;
    this.description = description;
  }

  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), Optional.empty(), "tracing is off");
  }

  public static Tracing start(GatewayConfig.Telemetry config) {
    Map<String, String> env = config.otelEnvironment();
    if (!enabled(env, config.endpoint())) {
      return off();
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "kubernaut-gateway");
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    if (!config.endpoint().isEmpty()) {
      defaults.put("otel.exporter.otlp.endpoint", config.endpoint());
    }
    Map<String, String> fromEnvironment = properties(env);
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesCustomizer(ignored -> fromEnvironment)
            .addSpanExporterCustomizer(
                (exporter, properties) -> trusting(exporter, config.caBundles(), fromEnvironment))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    String endpoint =
        fromEnvironment.getOrDefault(
            "otel.exporter.otlp.traces.endpoint",
            fromEnvironment.getOrDefault(
                "otel.exporter.otlp.endpoint", defaults.get("otel.exporter.otlp.endpoint")));
    return new Tracing(
        sdk,
        Optional.of(sdk),
        "traces are exported ("
            + fromEnvironment.getOrDefault("otel.traces.exporter", "otlp")
            + (endpoint == null ? "" : " to " + endpoint)
            + ")");
  }

  /**
   * The OTLP exporter trusting the JDK's roots plus {@code caBundles} (followed as they change),
   * unless the {@code OTEL_*} variables name a certificate of their own.
   */
  static SpanExporter trusting(
      SpanExporter exporter, List<Path> caBundles, Map<String, String> properties) {
    if (caBundles.isEmpty()
        || properties.containsKey("otel.exporter.otlp.certificate")
        || properties.containsKey("otel.exporter.otlp.traces.certificate")) {
      return exporter;
    }
    TrustBundle trust = TrustBundle.jdkRootsPlus(caBundles);
    SpanExporter trusting;
    if (exporter instanceof OtlpHttpSpanExporter http) {
      trusting = http.toBuilder().setSslContext(trust.sslContext(), trust.trustManager()).build();
    } else if (exporter instanceof OtlpGrpcSpanExporter grpc) {
      trusting = grpc.toBuilder().setSslContext(trust.sslContext(), trust.trustManager()).build();
    } else {
      return exporter;
    }
    exporter.shutdown();
    return trusting;
  }

  /** Whether the environment or the configuration asks for traces to be exported. */
  static boolean enabled(Map<String, String> env, String configuredEndpoint) {
    if (env.getOrDefault("OTEL_SDK_DISABLED", "").equalsIgnoreCase("true")) {
      return false;
    }
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
    if (exporter.equalsIgnoreCase("none")) {
      return false;
    }
    return !exporter.isEmpty()
        || !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
        || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank()
        || !configuredEndpoint.isBlank();
  }

  /** {@code OTEL_EXPORTER_OTLP_ENDPOINT} becomes {@code otel.exporter.otlp.endpoint}. */
  private static Map<String, String> properties(Map<String, String> env) {
    Map<String, String> properties = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    return properties;
  }

  public boolean enabled() {
    return sdk.isPresent();
  }

  public Tracer tracer() {
    return openTelemetry.getTracer(INSTRUMENTATION);
  }

  public TextMapPropagator propagator() {
    return openTelemetry.getPropagators().getTextMapPropagator();
  }

  public String description() {
    return description;
  }

  /** Exports what is still buffered (bounded) and stops the SDK. */
  @Override
  public void close() {
    sdk.ifPresent(s -> s.shutdown().join(5, TimeUnit.SECONDS));
  }
}
