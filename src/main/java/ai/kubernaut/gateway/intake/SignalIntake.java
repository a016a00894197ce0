package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.SignalProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step between HTTP and the signal pipeline: reads a body into signals, recognises a
 * byte-identical redelivery (its recorded signals are answered as before, not counted again),
 * starts every other signal of the request at once, and maps how they ended to the one answer the
 * sender gets. A request with any signal not recorded is answered so that the sender retries it.
 */
public final class SignalIntake {

  /** How long a byte-identical redelivery is recognised, so its signals are not counted twice. */
  static final Duration REDELIVERY_WINDOW = Duration.ofMinutes(2);

  /**
   * The heap the redelivery memory may hold (estimated): tens of thousands of answers, so a busy
   * Alertmanager's retries are recognised, and a small share of the smallest heap the gateway is
   * deployed with, so distinct bodies cannot exhaust it.
   */
  static final long REDELIVERY_MEMORY_BYTES = 24L * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(SignalIntake.class);

  private final SignalProcessor processor;
  private final RecentDeliveries deliveries;
  private final IntakeMetrics metrics;

  public SignalIntake(SignalProcessor processor, Clock clock, IntakeMetrics metrics) {
    this(
        processor,
        new RecentDeliveries(
            clock, REDELIVERY_WINDOW, REDELIVERY_MEMORY_BYTES, metrics::redeliveryEvicted),
        metrics);
  }

  SignalIntake(SignalProcessor processor, RecentDeliveries deliveries, IntakeMetrics metrics) {
    this.processor = processor;
    this.deliveries = deliveries;
    this.metrics = metrics;
  }

  /**
   * A request whose body was read.
   *
   * @param timestampHeader its {@code X-Timestamp} header, if sent
   * @param context who sent it and its deadline
   */
  public record Request(
      SignalReader<?> reader,
      byte[] body,
      Optional<String> timestampHeader,
      Instant receivedAt,
      RequestContext context) {}

  /** Takes in a request's signals and answers it; never throws for a signal's failure. */
  public Answer accept(Request request) {
    return switch (request
        .reader()
        .read(request.body(), request.timestampHeader(), request.receivedAt())) {
      case SignalReader.Refused r -> Answer.Problem.refused(r.rejection());
      case SignalReader.Malformed m ->
          Answer.Problem.of(400, "Failed to parse signal: " + m.detail());
      case SignalReader.Signals s -> take(request, s.signals());
    };
  }

  private Answer take(Request request, List<ParsedSignal> parsed) {
    RequestContext context = request.context();
    String source = request.reader().source().name();
    RecentDeliveries.Key key =
        RecentDeliveries.key(context.actorId(), request.reader().source().path(), request.body());
    Optional<RecentDeliveries.Delivery> started =
        deliveries.begin(key, parsed.size(), context.deadline());
    if (started.isEmpty()) {
      return Answer.Problem.of(504, "Request processing timed out");
    }
    RecentDeliveries.Delivery delivery = started.get();
    RecordedAnswer[] answers = delivery.known().clone();
    Answer answer;
    try {
      List<SignalResult> results = settle(parsed, context, answers);
      answer =
          parsed.size() == 1
              ? OutcomeResponses.single(results.getFirst())
              : OutcomeResponses.batch(results);
    } finally {
      // whatever happens to the answer, what was recorded must be recognised when redelivered
      deliveries.finish(delivery, answers);
    }
    long replayed = delivery.replayed();
    if (replayed > 0) {
      metrics.redelivered(source, replayed);
    }
    return answer;
  }

  /**
   * Starts every signal not answered before, then waits for each by the request deadline; fills
   * {@code answers} with what was recorded.
   */
  private List<SignalResult> settle(
      List<ParsedSignal> parsed, RequestContext context, RecordedAnswer[] answers) {
    if (parsed.size() == 1
        && answers[0] == null
        && parsed.getFirst() instanceof ParsedSignal.Accepted only) {
      SignalResult result = SignalResult.of(processAlone(only, context));
      if (result instanceof SignalResult.Recorded r) {
        answers[0] = r.answer();
      }
      return List.of(result);
    }
    List<CompletableFuture<Outcome>> pending = new ArrayList<>(parsed.size());
    for (int i = 0; i < parsed.size(); i++) {
      pending.add(
          answers[i] == null && parsed.get(i) instanceof ParsedSignal.Accepted a
              ? start(a, context)
              : null);
    }
    List<SignalResult> results = new ArrayList<>(parsed.size());
    for (int i = 0; i < parsed.size(); i++) {
      SignalResult result;
      if (answers[i] != null) {
        result = new SignalResult.Recorded(answers[i]);
      } else {
        result =
            switch (parsed.get(i)) {
              case ParsedSignal.Invalid invalid -> new SignalResult.Invalid(invalid.reason());
              case ParsedSignal.Accepted accepted ->
                  SignalResult.of(outcomeOf(pending.get(i), accepted, context));
            };
        if (result instanceof SignalResult.Recorded r) {
          answers[i] = r.answer();
        }
      }
      results.add(result);
    }
    return results;
  }

  private CompletableFuture<Outcome> start(ParsedSignal.Accepted accepted, RequestContext context) {
    try {
      return processor.process(accepted.signal(), context);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Outcome processAlone(ParsedSignal.Accepted accepted, RequestContext context) {
    try {
      return processor.processAlone(accepted.signal(), context);
    } catch (RuntimeException e) {
      return unexpected(accepted, e);
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
      return unexpected(accepted, e);
    }
  }

  /** A signal whose processing failed in a way it is meant never to: the sender retries it. */
  private static Outcome unexpected(ParsedSignal.Accepted accepted, RuntimeException e) {
    log.error("processing a signal failed unexpectedly", e);
    return new Outcome.Failed(
        accepted.signal(),
        Optional.empty(),
        Outcome.FailureCause.BACKEND_UNAVAILABLE,
        "unexpected processing failure");
  }
}
