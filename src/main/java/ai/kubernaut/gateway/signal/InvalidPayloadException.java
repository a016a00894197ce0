package ai.kubernaut.gateway.signal;

/** The request body as a whole cannot be parsed into signals; the detail says what is wrong. */
public class InvalidPayloadException extends RuntimeException {

  public InvalidPayloadException(String detail) {
    super(detail);
  }
}
