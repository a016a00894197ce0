package ai.kubernaut.gateway.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.Semaphore;

/**
 * Caps the requests in flight. An excess request gets 503 with {@code Retry-After} at once (not
 * 429, which Alertmanager does not retry promptly) and is counted in {@code
 * gateway_http_requests_rejected_total{reason="overload"}}.
 */
final class InFlightLimit implements Filter {

  static final int RETRY_AFTER_SECONDS = 1;

  private final Semaphore permits;
  private final int max;
  private final JsonResponses responses;
  private final ProtectionMetrics metrics;

  InFlightLimit(int max, JsonResponses responses, ProtectionMetrics metrics) {
    this.max = max;
    this.permits = new Semaphore(max);
    this.responses = responses;
    this.metrics = metrics;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (!permits.tryAcquire()) {
      metrics.overloaded();
      responses.unavailable(
          req,
          res,
          "Server capacity exceeded: more than " + max + " requests in flight",
          RETRY_AFTER_SECONDS);
      return;
    }
    try {
      chain.proceed();
    } finally {
      permits.release();
    }
  }
}
