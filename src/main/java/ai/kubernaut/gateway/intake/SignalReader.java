package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.ParsedSignal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns one source's request body into signals: a stale {@code X-Timestamp} is refused before
 * anything else (when the source checks it); the body is parsed once, then checked against the
 * parser's and the source's limits, then (when enabled) against the source's replay rule, then
 * handed to the source's adapter.
 */
public final class SignalReader<P> {

  /** What a body gave. */
  public sealed interface Reading {}

  /** The body's signals, one per entry of the payload, in order. */
  public record Signals(List<ParsedSignal> signals) implements Reading {}

  /** The body breaks a limit or the replay rule: a refusal by the API's protections. */
  public record Refused(Rejection rejection) implements Reading {}

  /** The body is not the source's payload; {@code detail} is safe to repeat to the sender. */
  public record Malformed(String detail) implements Reading {}

  private final SignalSource<P> source;
  private final PayloadReader reader;
  private final PayloadLimits limits;
  private final Optional<GatewayConfig.Freshness> freshness;

  public SignalReader(
      SignalSource<P> source,
      PayloadReader reader,
      GatewayConfig.Limits limits,
      GatewayConfig.Freshness freshness) {
    this.source = source;
    this.reader = reader;
    this.limits = new PayloadLimits(limits);
    this.freshness = freshness.enabled() ? Optional.of(freshness) : Optional.empty();
  }

  public SignalSource<P> source() {
    return source;
  }

  /**
   * Reads a body.
   *
   * @param timestampHeader the request's {@code X-Timestamp} header, if sent
   */
  public Reading read(byte[] body, Optional<String> timestampHeader, Instant receivedAt) {
    Optional<ReplayWindow> window =
        freshness.map(f -> new ReplayWindow(f, receivedAt, timestampHeader));
    if (source.checksTimestampHeader()) {
      Optional<Rejection> staleStamp = window.flatMap(ReplayWindow::staleStamp);
      if (staleStamp.isPresent()) {
        return new Refused(staleStamp.get());
      }
    }
    P payload;
    switch (reader.read(body, source.payloadType(), source.description())) {
      case PayloadReader.Payload<P> p -> payload = p.value();
      case PayloadReader.OverLimit<P> o -> {
        return new Refused(o.rejection());
      }
      case PayloadReader.Malformed<P> m -> {
        return new Malformed(ParseErrors.describe(m.detail()));
      }
    }
    Optional<Rejection> refusal =
        source
            .exceedsLimits(payload, limits)
            .or(() -> window.flatMap(w -> source.stale(payload, w)));
    if (refusal.isPresent()) {
      return new Refused(refusal.get());
    }
    try {
      return new Signals(source.signals(payload, body, receivedAt));
    } catch (InvalidPayloadException e) {
      return new Malformed(ParseErrors.describe(e.getMessage()));
    }
  }
}
