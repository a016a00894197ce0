package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.intake.Answer;
import ai.kubernaut.gateway.intake.SignalIntake;
import ai.kubernaut.gateway.intake.SignalReader;
import ai.kubernaut.gateway.security.SecurityEvents;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Handles one signal route's HTTP: refuses while admission is closed, checks the content type,
 * reads the body within the size limit, hands it to the intake step and writes the answer it gives.
 */
final class SignalHandler implements Handler {

  static final int RETRY_AFTER_SECONDS = 5;

  private static final HeaderName X_TIMESTAMP = HeaderNames.create("X-Timestamp");

  private final SignalReader<?> reader;
  private final SignalIntake intake;
  private final HttpSettings settings;
  private final Admission admission;

  SignalHandler(
      SignalReader<?> reader, SignalIntake intake, HttpSettings settings, Admission admission) {
    this.reader = reader;
    this.intake = intake;
    this.settings = settings;
    this.admission = admission;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    JsonResponses responses = settings.responses();
    var refusal = admission.refusal();
    if (refusal.isPresent()) {
      responses.unavailable(req, res, refusal.get(), RETRY_AFTER_SECONDS);
      return;
    }
    if (!acceptableContentType(req, res, responses)) {
      return;
    }
    byte[] body;
    try {
      body = settings.bodyReader().read(req);
    } catch (BodyReader.TooLargeException e) {
      if (!e.drained()) {
        res.header(HeaderNames.CONNECTION, "close");
      }
      responses.problem(
          req,
          res,
          413,
          "Request body too large: the limit is " + settings.bodyReader().maxBytes() + " bytes");
      return;
    } catch (IOException e) {
      responses.problem(req, res, 400, "Failed to read request body");
      return;
    }
    Instant receivedAt = settings.clock().instant();
    Answer answer =
        intake.accept(
            new SignalIntake.Request(
                reader,
                body,
                req.headers().first(X_TIMESTAMP),
                receivedAt,
                SenderAuth.context(
                    req, reader.source().name(), receivedAt.plus(settings.requestDeadline()))));
    write(req, res, answer);
  }

  private void write(ServerRequest req, ServerResponse res, Answer answer) {
    if (answer.retryLater()) {
      res.header(HeaderNames.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
    }
    switch (answer) {
      case Answer.Body b -> settings.responses().send(res, b.status(), b.body());
      case Answer.Problem p -> {
        p.refusal()
            .ifPresent(
                reason ->
                    SecurityEvents.rejected(
                        reason, ClientAddresses.of(req), RequestIds.of(req), ""));
        settings.responses().problem(req, res, p.status(), p.detail());
      }
    }
  }

  private static boolean acceptableContentType(
      ServerRequest req, ServerResponse res, JsonResponses responses) {
    var header = req.headers().first(HeaderNames.CONTENT_TYPE);
    if (header.isEmpty() || header.get().isBlank()) {
      return true;
    }
    String mediaType = header.get().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")) {
      responses.problem(req, res, 400, "Invalid Content-Type header");
      return false;
    }
    if (!mediaType.equals("application/json")) {
      res.header(HeaderNames.ACCEPT, "application/json");
      responses.problem(req, res, 415, "Content-Type must be application/json");
      return false;
    }
    return true;
  }

  /** What every signal route shares. */
  record HttpSettings(
      JsonResponses responses,
      BodyReader bodyReader,
      Clock clock,
      Duration requestDeadline,
      ConnectionDeadlines deadlines) {}
}
