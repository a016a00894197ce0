package ai.kubernaut.gateway.intake;

import java.util.Optional;

/** What a request whose body was read is answered. */
public sealed interface Answer {

  /** The HTTP status. */
  int status();

  /** Whether the answer asks the sender to send the request again later ({@code Retry-After}). */
  boolean retryLater();

  /**
   * A response body: the Go Gateway's single-signal body, or a 207 (or 503) of per-signal items.
   */
  record Body(int status, Object body, boolean retryLater) implements Answer {}

  /**
   * An RFC 7807 problem.
   *
   * @param refusal the reason, for the security log, when the API's protections refused the body
   */
  record Problem(int status, String detail, boolean retryLater, Optional<String> refusal)
      implements Answer {

    static Problem of(int status, String detail) {
      return new Problem(status, detail, status == 503, Optional.empty());
    }

    static Problem refused(Rejection rejection) {
      return new Problem(
          rejection.status(), rejection.detail(), false, Optional.of(rejection.reason()));
    }
  }
}
