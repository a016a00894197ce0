package ai.kubernaut.gateway.security;

import java.util.Optional;

/** Asks the cluster who a token belongs to and whether that sender may send signals. */
public interface AccessReviews {

  /**
   * Reviews a bearer token.
   *
   * @return the sender, or empty when the token is not authenticated
   * @throws UnavailableException when the review could not be made
   */
  Optional<Sender> authenticate(String token);

  /**
   * Whether {@code sender} may send signals.
   *
   * @throws UnavailableException when the review could not be made
   */
  boolean authorize(Sender sender);

  /** The review API could not answer; the sender should retry. */
  final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
