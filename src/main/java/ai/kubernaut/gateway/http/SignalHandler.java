package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.metrics.GatewayMetrics;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.SignalAdapter;
import ai.kubernaut.gateway.signal.SignalProcessor;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one signal route: checks the content type, reads the body within the size limit, parses
 * it with the route's adapter, processes every signal, and answers with the Go Gateway's status
 * codes — except that a webhook with any signal not recorded gets 503 so the sender retries it.
 */
final class SignalHandler implements Handler {

  static final int RETRY_AFTER_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(SignalHandler.class);

  private final SignalAdapter adapter;
  private final SignalProcessor processor;
  private final HttpSettings settings;
  private final Admission admission;

  SignalHandler(
      SignalAdapter adapter,
      SignalProcessor processor,
      HttpSettings settings,
      Admission admission) {
    this.adapter = adapter;
    this.processor = processor;
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
    Clock clock = settings.clock();
    Instant receivedAt = clock.instant();
    if (!settings.security().admit(req, res, body, receivedAt, responses)) {
      return;
    }
    List<ParsedSignal> parsed;
    try {
      parsed = adapter.parse(body, receivedAt);
    } catch (InvalidPayloadException e) {
      responses.problem(
          req, res, 400, "Failed to parse signal: " + ParseErrors.describe(e.getMessage()));
      return;
    }
    RequestContext context =
        SenderAuth.context(req, adapter.source(), receivedAt.plus(settings.requestDeadline()));
    RecentDeliveries.Key key = RecentDeliveries.key(context.actorId(), req.path().path(), body);
    var started = settings.deliveries().begin(key, parsed.size(), context.deadline());
    if (started.isEmpty()) {
      responses.problem(req, res, 504, "Request processing timed out");
      return;
    }
    RecentDeliveries.Delivery delivery = started.get();
    RecordedAnswer[] answers = delivery.known().clone();
    try {
      if (parsed.size() == 1) {
        answerSingle(req, res, parsed.getFirst(), context, answers);
      } else {
        answerBatch(req, res, parsed, context, answers);
      }
    } finally {
      // whatever happened to the response, what was recorded must be recognised when redelivered
      settings.deliveries().finish(delivery, answers);
    }
    long replayed = delivery.replayed();
    if (replayed > 0) {
      settings.metrics().redelivered(adapter.source(), replayed);
    }
  }

  private void answerSingle(
      ServerRequest req,
      ServerResponse res,
      ParsedSignal parsed,
      RequestContext context,
      RecordedAnswer[] answers) {
    JsonResponses responses = settings.responses();
    if (answers[0] != null) {
      responses.send(res, answers[0].status(), OutcomeResponses.single(answers[0]));
      return;
    }
    switch (parsed) {
      case ParsedSignal.Invalid invalid ->
          responses.problem(
              req,
              res,
              400,
              "Signal validation failed: " + RecordedAnswer.bounded(invalid.reason()));
      case ParsedSignal.Accepted accepted -> {
        Outcome outcome = outcomeOf(start(accepted, context), accepted, context);
        answers[0] = RecordedAnswer.of(outcome).orElse(null);
        if (answers[0] != null) {
          responses.send(res, answers[0].status(), OutcomeResponses.single(answers[0]));
          return;
        }
        switch (outcome) {
          case Outcome.Invalid i ->
              responses.problem(
                  req, res, 400, "Signal validation failed: " + RecordedAnswer.bounded(i.detail()));
          case Outcome.Failed f when f.cause() == Outcome.FailureCause.DEADLINE_EXCEEDED ->
              responses.problem(req, res, 504, "Request processing timed out");
          case Outcome.Failed f ->
              responses.unavailable(
                  req,
                  res,
                  "Signal could not be recorded: " + RecordedAnswer.bounded(f.detail()),
                  RETRY_AFTER_SECONDS);
          default -> throw new IllegalStateException("a settled outcome always has an answer");
        }
      }
    }
  }

  private void answerBatch(
      ServerRequest req,
      ServerResponse res,
      List<ParsedSignal> parsed,
      RequestContext context,
      RecordedAnswer[] answers) {
    List<CompletableFuture<Outcome>> started = new ArrayList<>();
    for (int i = 0; i < parsed.size(); i++) {
      if (answers[i] == null && parsed.get(i) instanceof ParsedSignal.Accepted a) {
        started.add(start(a, context));
      } else {
        started.add(null);
      }
    }
    List<BatchResponse.Item> items = new ArrayList<>();
    boolean allSettled = true;
    for (int i = 0; i < parsed.size(); i++) {
      if (answers[i] != null) {
        items.add(OutcomeResponses.item(answers[i]));
      } else if (parsed.get(i) instanceof ParsedSignal.Accepted a) {
        Outcome outcome = outcomeOf(started.get(i), a, context);
        allSettled &= outcome.settled();
        answers[i] = RecordedAnswer.of(outcome).orElse(null);
        items.add(
            answers[i] == null
                ? OutcomeResponses.unsettled(outcome)
                : OutcomeResponses.item(answers[i]));
      } else {
        items.add(OutcomeResponses.invalid(((ParsedSignal.Invalid) parsed.get(i)).reason()));
      }
    }
    BatchResponse body = OutcomeResponses.batch(items);
    if (allSettled) {
      settings.responses().send(res, 207, body);
    } else {
      res.header(HeaderNames.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
      settings.responses().send(res, 503, body);
    }
  }

  private CompletableFuture<Outcome> start(ParsedSignal.Accepted accepted, RequestContext context) {
    try {
      return processor.process(accepted.signal(), context);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The outcome of a started signal by the request deadline. Processing is meant never to fail
   * exceptionally; if it does, that signal is one the sender must retry, and the others of the
   * request are still answered (and remembered) as they ended.
   */
  private Outcome outcomeOf(
      CompletableFuture<Outcome> pending, ParsedSignal.Accepted accepted, RequestContext context) {
    try {
      return processor.await(pending, accepted.signal(), context);
    } catch (RuntimeException e) {
      log.error("processing a signal failed unexpectedly", e);
      return new Outcome.Failed(
          accepted.signal(),
          Optional.empty(),
          Outcome.FailureCause.BACKEND_UNAVAILABLE,
          "unexpected processing failure");
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
      RecentDeliveries deliveries,
      GatewayMetrics metrics,
      ApiSecurity security,
      ConnectionDeadlines deadlines) {}
}
