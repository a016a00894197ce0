package ai.kubernaut.gateway.metrics;

import ai.kubernaut.gateway.http.ConnectionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gateway_http_slow_clients_total} by phase and {@code
 * gateway_http_connections_closed_total} by reason, registered at once so that they show zero
 * before the first close.
 */
public final class ConnectionCounters implements ConnectionMetrics {

  private final Counter headers;
  private final Counter body;
  private final Counter response;
  private final Counter perClientLimit;
  private final Counter idleUnderPressure;

  public ConnectionCounters(MeterRegistry registry) {
    this.perClientLimit = closedForOthers(registry, "per_client_limit");
    this.idleUnderPressure = closedForOthers(registry, "idle_under_pressure");
    this.headers = slowClients(registry, "headers");
    this.body = slowClients(registry, "body");
    this.response = slowClients(registry, "response");
  }

  private static Counter closedForOthers(MeterRegistry registry, String reason) {
    return Counter.builder("gateway.http.connections.closed")
        .description("Connections closed to keep slots for other clients")
        .tag("reason", reason)
        .register(registry);
  }

  private static Counter slowClients(MeterRegistry registry, String phase) {
    return Counter.builder("gateway.http.slow.clients")
        .description(
            "Connections closed because the client sent its request, or took its answer, too"
                + " slowly")
        .tag("phase", phase)
        .register(registry);
  }

  @Override
  public void headersTooSlow() {
    headers.increment();
  }

  @Override
  public void bodyTooSlow() {
    body.increment();
  }

  @Override
  public void responseTooSlow() {
    response.increment();
  }

  @Override
  public void overPerClientLimit() {
    perClientLimit.increment();
  }

  @Override
  public void idleUnderPressure() {
    idleUnderPressure.increment();
  }
}
