package ai.kubernaut.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Routes of the health listener ({@code /healthz}, {@code /readyz}) and the metrics listener. */
public final class OperationalRoutes {

  private OperationalRoutes() {}

  /**
   * {@code /healthz} (liveness) and {@code /readyz}. Liveness fails only on a fault a restart of
   * the process cures, which {@code livenessProblem} names (a disk error that failed the audit
   * spool); it never asks the Kubernetes API, so an API outage restarts no pod.
   */
  public static void health(
      HttpRouting.Builder routing,
      Readiness readiness,
      Supplier<Optional<String>> livenessProblem,
      ObjectMapper json,
      Clock clock) {
    JsonResponses responses = new JsonResponses(json);
    routing.get(
        "/healthz",
        (req, res) -> {
          Optional<String> problem = livenessProblem.get();
          if (problem.isEmpty()) {
            responses.send(
                res,
                200,
                Map.of(
                    "status",
                    "healthy",
                    "timestamp",
                    clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()));
            return;
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("type", "https://kubernaut.ai/problems/service-unavailable");
          body.put("title", "Service Unavailable");
          body.put("detail", problem.get() + "; a restart reopens it");
          body.put("status", 503);
          body.put("instance", "/healthz");
          res.status(503);
          res.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
          res.send(responses.bytes(body));
        });
    routing.get(
        "/readyz",
        (req, res) -> {
          List<Readiness.Check> checks = readiness.evaluate();
          var failing = checks.stream().filter(c -> !c.ok() && c.required()).findFirst();
          if (failing.isEmpty()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ready");
            body.put("checks", Readiness.checksBody(checks));
            responses.send(res, 200, body);
          } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "https://kubernaut.ai/problems/service-unavailable");
            body.put("title", "Service Unavailable");
            body.put("detail", failing.get().message());
            body.put("status", 503);
            body.put("instance", "/readyz");
            body.put("checks", Readiness.checksBody(checks));
            res.status(503);
            res.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
            res.send(responses.bytes(body));
          }
        });
  }

  /** The JVM's thread dump and JFR recordings under {@code /debug/pprof/} (opt-in). */
  public static void profiling(HttpRouting.Builder routing, ObjectMapper json) {
    new JvmProfiling(new JsonResponses(json)).register(routing);
  }

  public static void metrics(HttpRouting.Builder routing, Supplier<String> scrape) {
    routing.get(
        "/metrics",
        (req, res) -> {
          res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
          res.send(scrape.get());
        });
  }
}
