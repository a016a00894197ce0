package ai.kubernaut.gateway.signal;

/** A backend call failed in a way that may succeed when tried again later. */
public class TransientBackendException extends RuntimeException {

  public TransientBackendException(String message, Throwable cause) {
    super(message, cause);
  }

  public TransientBackendException(String message) {
    super(message);
  }
}
