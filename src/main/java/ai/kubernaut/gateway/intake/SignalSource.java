package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.ParsedSignal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One signal source: the route it is posted to, the JSON object its body holds, the bounds that
 * object must stay within, its replay rule, and how it becomes signals. The body is parsed once,
 * into {@code P}, and every step reads that one value.
 *
 * @param <P> the body's type, bound from JSON (unknown fields ignored)
 */
public interface SignalSource<P> {

  /** The source name recorded on signals, metrics and audit events, e.g. {@code prometheus}. */
  String name();

  /** The route path, e.g. {@code /api/v1/signals/prometheus}. */
  String path();

  /** The type the body is bound to. */
  Class<P> payloadType();

  /** What the body should be, for parse errors, e.g. "an Alertmanager webhook". */
  String description();

  /** The first bound {@code payload} exceeds, answered 413 (or 400) before any signal is made. */
  Optional<Rejection> exceedsLimits(P payload, PayloadLimits limits);

  /**
   * Whether a request's {@code X-Timestamp} header is checked, before its body is read, when
   * freshness is enabled; a stale stamp is refused as a replay without parsing the body.
   */
  default boolean checksTimestampHeader() {
    return false;
  }

  /** Why {@code payload} is refused as stale or replayed, checked when freshness is enabled. */
  Optional<Rejection> stale(P payload, ReplayWindow window);

  /**
   * The signals in {@code payload}, one entry per signal, in order.
   *
   * @param body the request body as sent, kept on each signal as its original payload
   * @throws ai.kubernaut.gateway.signal.InvalidPayloadException when the body as a whole is
   *     unusable
   */
  List<ParsedSignal> signals(P payload, byte[] body, Instant receivedAt);
}
