package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client span for every HTTP request of the fabric8 client, a child of the span current on the
 * calling thread, with the W3C {@code traceparent} sent along. fabric8 builds a new request object
 * for each interceptor, so the span is found again by the span id in that header. A span whose
 * request never got an answer is ended as an error after {@link #UNANSWERED}.
 */
public final class ApiRequestSpans implements Interceptor {

  public static final String NAME = "gateway-api-request-spans";
  static final Duration UNANSWERED = Duration.ofMinutes(2);
  private static final String TRACEPARENT = "traceparent";

  private record Open(Span span, long startedNanos) {}

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Map<String, Open> open = new ConcurrentHashMap<>();

  public ApiRequestSpans(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.propagator = Objects.requireNonNull(propagator, "propagator");
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    ApiRequestKind kind = ApiRequestKind.of(request.method(), request.uri());
    Span span =
        tracer
            .spanBuilder(kind.verb() + " " + kind.resource())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("http.request.method", request.method())
            .setAttribute("url.path", request.uri().getRawPath())
            .setAttribute("k8s.verb", kind.verb())
            .setAttribute("k8s.resource", kind.resource())
            .startSpan();
    if (!span.getSpanContext().isValid()) {
      return;
    }
    endAbandoned();
    open.put(span.getSpanContext().getSpanId(), new Open(span, System.nanoTime()));
    propagator.inject(Context.current().with(span), builder, BasicBuilder::setHeader);
  }

  @Override
  public void after(
      HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> body) {
    Span span = take(request);
    if (span != null) {
      span.setAttribute("http.response.status_code", response.code());
      if (response.code() >= 400 && response.code() != 404 && response.code() != 409) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    Span span = take(request);
    if (span != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, "no response");
      span.end();
    }
  }

  private Span take(HttpRequest request) {
    String traceparent = request.header(TRACEPARENT);
    if (traceparent == null || traceparent.length() < 52) {
      return null;
    }
    Open entry = open.remove(traceparent.substring(36, 52));
    return entry == null ? null : entry.span();
  }

  private void endAbandoned() {
    long now = System.nanoTime();
    open.values()
        .removeIf(
            entry -> {
              if (now - entry.startedNanos() < UNANSWERED.toNanos()) {
                return false;
              }
              entry.span().setStatus(StatusCode.ERROR, "no response");
              entry.span().end();
              return true;
            });
  }
}
