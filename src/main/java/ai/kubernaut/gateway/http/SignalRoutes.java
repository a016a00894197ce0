package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.signal.SignalAdapter;
import ai.kubernaut.gateway.signal.SignalProcessor;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API listener's routes: one POST route per signal source, RFC 7807 for everything else. */
public final class SignalRoutes {

  public static final String PROMETHEUS = "/api/v1/signals/prometheus";
  public static final String KUBERNETES_EVENT = "/api/v1/signals/kubernetes-event";

  /** How long a byte-identical redelivery is recognised, so its signals are not counted twice. */
  static final java.time.Duration REDELIVERY_WINDOW = java.time.Duration.ofMinutes(2);

  /**
   * The heap the redelivery memory may hold (estimated): tens of thousands of answers, so a busy
   * Alertmanager's retries are recognised, and a small share of the smallest heap the gateway is
   * deployed with, so distinct bodies cannot exhaust it.
   */
  static final long REDELIVERY_MEMORY_BYTES = 24L * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(SignalRoutes.class);

  private SignalRoutes() {}

  /**
   * Registers the signal routes.
   *
   * @param adapters the adapter serving each route path
   */
  public static void register(
      HttpRouting.Builder routing,
      Map<String, SignalAdapter> adapters,
      SignalProcessor processor,
      SignalHandler.HttpSettings settings,
      HttpObserver observer) {
    register(routing, adapters, processor, settings, observer, Admission.always());
  }

  /**
   * Registers the signal routes; while {@code admission} refuses, signals are answered 503 with
   * {@code Retry-After} before their body is read.
   */
  public static void register(
      HttpRouting.Builder routing,
      Map<String, SignalAdapter> adapters,
      SignalProcessor processor,
      SignalHandler.HttpSettings settings,
      HttpObserver observer,
      Admission admission) {
    JsonResponses responses = settings.responses();
    routing.addFilter(new RequestPhases(settings.deadlines()));
    routing.addFilter(new RequestIds());
    routing.addFilter(observer);
    settings.security().filters().forEach(routing::addFilter);
    adapters.forEach(
        (path, adapter) -> {
          routing.route(
              Method.POST, path, new SignalHandler(adapter, processor, settings, admission));
          routing.any(
              path,
              (req, res) -> {
                res.header(HeaderNames.ALLOW, "POST");
                responses.problem(
                    req,
                    res,
                    405,
                    "Method " + req.prologue().method().text() + " is not allowed; use POST");
              });
        });
    routing.any(
        (req, res) -> responses.problem(req, res, 404, "No route for " + req.path().path()));
    routing.error(
        Throwable.class,
        (req, res, error) -> {
          log.error("unexpected failure handling {}", req.path().path(), error);
          if (!res.isSent()) {
            responses.problem(req, res, 500, "Internal server error");
          }
        });
  }

  /** Settings for the signal routes. */
  public static SignalHandler.HttpSettings settings(
      com.fasterxml.jackson.databind.ObjectMapper json,
      int maxBodyBytes,
      java.time.Clock clock,
      java.time.Duration requestDeadline,
      ai.kubernaut.gateway.metrics.GatewayMetrics metrics,
      ApiSecurity security,
      ConnectionDeadlines deadlines) {
    return new SignalHandler.HttpSettings(
        new JsonResponses(json),
        new BodyReader(maxBodyBytes, deadlines),
        clock,
        requestDeadline,
        new RecentDeliveries(clock, REDELIVERY_WINDOW, REDELIVERY_MEMORY_BYTES, metrics.registry()),
        metrics,
        security,
        deadlines);
  }
}
