package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.List;

/** Turns one request body of a signal source into signals. */
public interface SignalAdapter {

  /** The source name recorded on signals and metrics, e.g. {@code prometheus}. */
  String source();

  /**
   * Parses a request body.
   *
   * @param receivedAt when the request arrived
   * @return one entry per signal in the body, in order
   * @throws InvalidPayloadException when the body as a whole is unusable
   */
  List<ParsedSignal> parse(byte[] body, Instant receivedAt);
}
