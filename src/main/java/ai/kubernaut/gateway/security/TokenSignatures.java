package ai.kubernaut.gateway.security;

/** Whether a bearer token carries a signature of the cluster's token issuer. */
@FunctionalInterface
public interface TokenSignatures {

  /** No keys known: no token counts as signed. */
  TokenSignatures NONE = token -> false;

  /**
   * True when {@code token} is a JWT signed by the cluster's issuer that has not expired. This only
   * chooses the review budget a token waits in; it never grants anything.
   */
  boolean signedAndUnexpired(String token);
}
