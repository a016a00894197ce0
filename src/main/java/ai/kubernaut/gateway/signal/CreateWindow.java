package ai.kubernaut.gateway.signal;

import java.time.Duration;

/**
 * Until when, on this replica's {@link System#nanoTime()}, the create of an incident it claimed
 * must have reached the API server. A reader moves past a claim once it is {@link
 * ClaimSightings#OPENING_WINDOW} old, by the API server's stamps or from when the reader first saw
 * it, either way counted from no earlier than the server applied it, so from after this replica
 * started sending it: a create that is answered before the window has run out from that moment
 * (less a margin for the two monotonic clocks' rates and scheduling) is never moved past. A send
 * whose request may still be running then (it may last the client's whole request timeout) is not
 * made.
 *
 * @param answeredBy the {@link System#nanoTime()} value by which every send of the create must be
 *     answered
 */
public record CreateWindow(long answeredBy) {

  /** Kept free at the end of the opening window. */
  public static final Duration SAFETY_MARGIN = Duration.ofSeconds(2);

  /**
   * The window of a claim this replica started sending at {@code claimSentAt} (a {@link
   * System#nanoTime()} value).
   */
  public static CreateWindow ofClaimSentAt(long claimSentAt) {
    return new CreateWindow(
        claimSentAt + ClaimSightings.OPENING_WINDOW.toNanos() - SAFETY_MARGIN.toNanos());
  }

  /**
   * The last {@link System#nanoTime()} value at which a request lasting at most {@code
   * requestTimeout} may still be sent; every later send is refused. A request with no timeout (zero
   * or negative) can never be sent.
   */
  public long lastSend(Duration requestTimeout) {
    if (!requestTimeout.isPositive()) {
      return Long.MIN_VALUE;
    }
    return answeredBy - requestTimeout.toNanos();
  }

  /**
   * Whether a request sent at {@code now} lasting at most {@code requestTimeout} is answered in
   * time.
   */
  public boolean admits(long now, Duration requestTimeout) {
    return requestTimeout.isPositive() && now + requestTimeout.toNanos() - answeredBy < 0;
  }
}
