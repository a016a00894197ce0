package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.security.CorsPolicy;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Arrays;
import java.util.List;

/**
 * Answers CORS preflights with 204 before the in-flight limit and sender authentication (a browser
 * sends no credentials on a preflight), and adds CORS headers to allowed cross-origin requests.
 */
final class CrossOrigin implements Filter {

  private static final HeaderName REQUEST_METHOD =
      HeaderNames.create("Access-Control-Request-Method");
  private static final HeaderName REQUEST_HEADERS =
      HeaderNames.create("Access-Control-Request-Headers");
  private static final String VARY_PREFLIGHT =
      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

  private final CorsPolicy policy;

  CrossOrigin(CorsPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String origin = req.headers().first(HeaderNames.ORIGIN).orElse("");
    var requestedMethod = req.headers().first(REQUEST_METHOD);
    if (req.prologue().method() == Method.OPTIONS && requestedMethod.isPresent()) {
      res.header(HeaderNames.VARY, VARY_PREFLIGHT);
      policy.preflight(origin, requestedMethod.get(), requestedHeaders(req)).forEach(res::header);
      res.status(204);
      res.send();
      return;
    }
    if (!origin.isEmpty()) {
      res.header(HeaderNames.VARY, "Origin");
      policy.actual(origin, req.prologue().method().text()).forEach(res::header);
    }
    chain.proceed();
  }

  private static List<String> requestedHeaders(RoutingRequest req) {
    return req.headers().all(REQUEST_HEADERS, List::of).stream()
        .flatMap(value -> Arrays.stream(value.split(",")))
        .map(String::trim)
        .filter(name -> !name.isEmpty())
        .toList();
  }
}
