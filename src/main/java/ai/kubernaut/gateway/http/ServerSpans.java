package ai.kubernaut.gateway.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A server span for every request on the API listener, continuing the caller's trace from its
 * {@code traceparent} header. The span is named by the route, like the HTTP metrics, and is the
 * current context while the request is handled, so the work it causes nests under it.
 */
public final class ServerSpans implements Filter {

  private static final TextMapGetter<RoutingRequest> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(RoutingRequest req) {
          List<String> names = new ArrayList<>();
          for (Header header : req.headers()) {
            names.add(header.name());
          }
          return names;
        }

        @Override
        public String get(RoutingRequest req, String key) {
          return req == null ? null : req.headers().first(HeaderNames.create(key)).orElse(null);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Set<String> routes;

  public ServerSpans(Tracer tracer, TextMapPropagator propagator, Set<String> routes) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.routes = Set.copyOf(routes);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String method = req.prologue().method().text();
    String path = req.path().path();
    boolean routed = routes.contains(path);
    Context parent = propagator.extract(Context.root(), req, HEADERS);
    Span span =
        tracer
            .spanBuilder(routed ? method + " " + path : method)
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", method)
            .setAttribute("http.route", routed ? path : "unmatched")
            .startSpan();
    Scope scope = span.makeCurrent();
    try {
      chain.proceed();
    } catch (RuntimeException e) {
      span.recordException(e);
      throw e;
    } finally {
      scope.close();
      int status = res.status().code();
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }
}
