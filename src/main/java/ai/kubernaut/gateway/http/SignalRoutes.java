package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.intake.SignalIntake;
import ai.kubernaut.gateway.intake.SignalReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API listener's routes: one POST route per signal source, RFC 7807 for everything else. */
public final class SignalRoutes {

  private static final Logger log = LoggerFactory.getLogger(SignalRoutes.class);

  private SignalRoutes() {}

  /**
   * Registers the signal routes, one per reader's source; while {@code admission} refuses, signals
   * are answered 503 with {@code Retry-After} before their body is read.
   */
  public static void register(
      HttpRouting.Builder routing,
      List<SignalReader<?>> readers,
      SignalIntake intake,
      SignalHandler.HttpSettings settings,
      ApiSecurity security,
      HttpObserver observer,
      Admission admission) {
    JsonResponses responses = settings.responses();
    routing.addFilter(new RequestPhases(settings.deadlines()));
    routing.addFilter(new RequestIds());
    routing.addFilter(observer);
    security.filters().forEach(routing::addFilter);
    for (SignalReader<?> reader : readers) {
      String path = reader.source().path();
      routing.route(Method.POST, path, new SignalHandler(reader, intake, settings, admission));
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
    }
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
      ObjectMapper json,
      int maxBodyBytes,
      Clock clock,
      Duration requestDeadline,
      ConnectionDeadlines deadlines) {
    return new SignalHandler.HttpSettings(
        new JsonResponses(json),
        new BodyReader(maxBodyBytes, deadlines),
        clock,
        requestDeadline,
        deadlines);
  }
}
