package ai.kubernaut.gateway.telemetry;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.TargetResolver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Objects;

/** Traces owner resolution as the step "resolve target", with the API reads it makes inside. */
public final class TracedTargetResolver implements TargetResolver {

  private final TargetResolver resolver;
  private final Tracer tracer;

  public TracedTargetResolver(TargetResolver resolver, Tracer tracer) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.tracer = Objects.requireNonNull(tracer, "tracer");
  }

  @Override
  public ResourceRef resolveOwner(InboundSignal signal) {
    Span span = tracer.spanBuilder("resolve target").startSpan();
    Scope scope = span.makeCurrent();
    try {
      ResourceRef owner = resolver.resolveOwner(signal);
      span.setAttribute("k8s.owner.kind", owner.kind());
      return owner;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      scope.close();
      span.end();
    }
  }
}
