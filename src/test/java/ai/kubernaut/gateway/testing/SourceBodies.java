package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.intake.PayloadReader;
import ai.kubernaut.gateway.intake.SignalReader;
import ai.kubernaut.gateway.intake.SignalSource;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.ParsedSignal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads request bodies of a signal source the way the gateway does, without HTTP. */
public final class SourceBodies {

  /** The default payload limits. */
  public static final GatewayConfig.Limits DEFAULT_LIMITS =
      new GatewayConfig.Limits(1000, 128, 316, 16_384, 32, 65_536);

  private static final GatewayConfig.Freshness NO_FRESHNESS =
      new GatewayConfig.Freshness(false, java.time.Duration.ZERO, java.time.Duration.ZERO);

  private SourceBodies() {}

  /**
   * The signals of {@code body} under the default limits and with freshness off.
   *
   * @throws InvalidPayloadException with the problem's detail when the body is malformed
   * @throws AssertionError when a limit refuses it
   */
  public static List<ParsedSignal> parse(SignalSource<?> source, byte[] body, Instant now) {
    return switch (reader(source, DEFAULT_LIMITS, NO_FRESHNESS).read(body, Optional.empty(), now)) {
      case SignalReader.Signals s -> s.signals();
      case SignalReader.Malformed m -> throw new InvalidPayloadException(m.detail());
      case SignalReader.Refused r -> throw new AssertionError("refused: " + r.rejection());
    };
  }

  /** A reader of {@code source}'s bodies under these limits and this freshness rule. */
  public static <P> SignalReader<P> reader(
      SignalSource<P> source, GatewayConfig.Limits limits, GatewayConfig.Freshness freshness) {
    return new SignalReader<>(source, new PayloadReader(limits), limits, freshness);
  }
}
