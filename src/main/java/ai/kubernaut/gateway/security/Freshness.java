package ai.kubernaut.gateway.security;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.Rfc3339;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Replay protection: an {@code X-Timestamp} must be recent, an alert's {@code startsAt} must not be
 * in the future (long-firing alerts re-notify with an old one), and an Event's last timestamp must
 * be recent and not in the future. The details are the Go Gateway's.
 */
final class Freshness {

  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private final Duration maxAge;
  private final Duration maxSkew;

  Freshness(GatewayConfig.Freshness config) {
    this.maxAge = config.maxAge();
    this.maxSkew = config.maxClockSkew();
  }

  Optional<Rejection> header(String value, Instant now) {
    long seconds;
    try {
      seconds = Long.parseLong(value.trim());
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

  Optional<Rejection> webhook(JsonNode root, Instant now) {
    JsonNode alerts = root.path("alerts");
    Optional<Instant> latest =
        StreamSupport.stream(alerts.spliterator(), false)
            .map(a -> time(a.path("startsAt")))
            .flatMap(Optional::stream)
            .max(Instant::compareTo);
    if (latest.isEmpty()) {
      return stale("alert payload missing startsAt timestamp");
    }
    if (latest.get().isAfter(now.plus(maxSkew))) {
      return stale("alert startsAt in future: possible clock skew attack");
    }
    return Optional.empty();
  }

  Optional<Rejection> event(JsonNode root, Instant now) {
    Optional<Instant> when =
        Stream.of(
                root.path("lastTimestamp"),
                root.path("deprecatedLastTimestamp"),
                root.path("series").path("lastObservedTime"),
                root.path("firstTimestamp"),
                root.path("eventTime"),
                root.path("deprecatedFirstTimestamp"))
            .map(Freshness::time)
            .flatMap(Optional::stream)
            .findFirst();
    if (when.isEmpty()) {
      return stale("event missing lastTimestamp and firstTimestamp");
    }
    if (when.get().isBefore(now.minus(maxAge))) {
      return stale("event timestamp too old: possible stale event");
    }
    if (when.get().isAfter(now.plus(maxSkew))) {
      return stale("event timestamp in future: possible clock skew");
    }
    return Optional.empty();
  }

  private static Optional<Instant> time(JsonNode node) {
    if (!node.isTextual() || node.asText().isBlank()) {
      return Optional.empty();
    }
    try {
      Instant t = Rfc3339.parse(node.asText());
      return t.equals(GO_ZERO_TIME) ? Optional.empty() : Optional.of(t);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Rejection> stale(String detail) {
    return Optional.of(new Rejection(400, "freshness", detail));
  }
}
