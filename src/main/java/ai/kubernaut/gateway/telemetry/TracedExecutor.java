package ai.kubernaut.gateway.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Runs each task in a span named {@code name}, a child of the span current where the task was
 * handed over: work moved to another thread (or run in place) stays in the trace of the request
 * that caused it.
 */
public final class TracedExecutor implements Executor {

  private final Executor executor;
  private final Tracer tracer;
  private final String name;

  public TracedExecutor(Executor executor, Tracer tracer, String name) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public void execute(Runnable task) {
    Context parent = Context.current();
    executor.execute(
        () -> {
          Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
          Scope scope = span.makeCurrent();
          try {
            task.run();
          } finally {
            scope.close();
            span.end();
          }
        });
  }
}
