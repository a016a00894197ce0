package ai.kubernaut.gateway.security;

/** The answer for one bearer token. */
public sealed interface AuthDecision {

  /** The sender may send signals. */
  record Allowed(Sender sender) implements AuthDecision {}

  /** The token is not (or no longer) valid. */
  record Unauthenticated() implements AuthDecision {}

  /** The sender is known but lacks the permission. */
  record Denied(String username) implements AuthDecision {}

  /**
   * The review API could not answer.
   *
   * @param stage {@code authentication} or {@code authorization}
   */
  record Unavailable(String stage) implements AuthDecision {}

  /**
   * The token was not reviewed: too many tokens not decided recently are waiting in its review
   * budget. Not an outage of the API server.
   *
   * @param budget {@code signed}, {@code known_subject} or {@code unverified}
   */
  record Throttled(String budget) implements AuthDecision {}
}
