package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.Rfc3339;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The replay protection's window for one request: how old a timestamp may be and how far in the
 * future, measured from when the request arrived, and the request's {@code X-Timestamp} header. The
 * sources' rules and their wording are the Go Gateway's.
 */
public final class ReplayWindow {

  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final Instant now;
  private final Duration maxAge;
  private final Duration maxSkew;
  private final Optional<String> timestampHeader;

  public ReplayWindow(
      GatewayConfig.Freshness config, Instant now, Optional<String> timestampHeader) {
    this.now = now;
    this.maxAge = config.maxAge();
    this.maxSkew = config.maxClockSkew();
    this.timestampHeader = timestampHeader;
  }

  /** Whether the sender stamped the request with {@code X-Timestamp}. */
  public boolean stamped() {
    return timestampHeader.isPresent();
  }

  /**
   * The {@code X-Timestamp} rule: Unix seconds, neither older than the window nor in the future.
   */
  public Optional<Rejection> staleStamp() {
    if (timestampHeader.isEmpty()) {
      return Optional.empty();
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestampHeader.get().trim());
    } catch (NumberFormatException e) {
      return stale("invalid timestamp format");
    }
    if (seconds < 0) {
      return stale("invalid timestamp: negative value");
    }
    long nowSeconds = now.getEpochSecond();
    if (seconds < nowSeconds - maxAge.toSeconds()) {
      return stale("timestamp too old: possible replay attack");
    }
    if (seconds > nowSeconds + maxSkew.toSeconds()) {
      return stale("timestamp in future: possible clock skew attack");
    }
    return Optional.empty();
  }

  /** Whether {@code time} is older than the window allows. */
  public boolean tooOld(Instant time) {
    return time.isBefore(now.minus(maxAge));
  }

  /** Whether {@code time} lies further in the future than the clock skew allows. */
  public boolean inFuture(Instant time) {
    return time.isAfter(now.plus(maxSkew));
  }

  /**
   * A payload's timestamp: an RFC 3339 text; null, blank, unparsable and Go's zero time are "not
   * given".
   */
  public static Optional<Instant> time(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      Instant t = Rfc3339.parse(text);
      return t.equals(GO_ZERO_TIME) ? Optional.empty() : Optional.of(t);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A refusal by the replay protection: 400 with {@code detail}. */
  public static Optional<Rejection> stale(String detail) {
    return Optional.of(new Rejection(400, "freshness", detail));
  }
}
