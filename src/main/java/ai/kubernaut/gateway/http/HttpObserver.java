package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.metrics.GatewayMetrics;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Set;

/**
 * Times every request on the API listener. The endpoint label is the route, never the raw path, so
 * a scanner probing random paths cannot blow up the metric's cardinality.
 */
public final class HttpObserver implements Filter {

  private final GatewayMetrics metrics;
  private final Set<String> routes;

  public HttpObserver(GatewayMetrics metrics, Set<String> routes) {
    this.metrics = metrics;
    this.routes = Set.copyOf(routes);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      String path = req.path().path();
      metrics.httpRequest(
          routes.contains(path) ? path : "unmatched",
          req.prologue().method().text(),
          res.status().code(),
          System.nanoTime() - start);
    }
  }
}
