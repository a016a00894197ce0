package ai.kubernaut.gateway.signal;

import java.util.Optional;

/** A backend call failed in a way that may succeed when tried again later. */
public class TransientBackendException extends RuntimeException {

  private final ApiError apiError;

  public TransientBackendException(String message, Throwable cause) {
    this(message, cause, null);
  }

  public TransientBackendException(String message) {
    this(message, null, null);
  }

  /** A failure for which the Kubernetes API's answer is known ({@code apiError} may be null). */
  public TransientBackendException(String message, Throwable cause, ApiError apiError) {
    super(message, cause);
    this.apiError = apiError;
  }

  /** The API's answer that caused this failure, when there was one. */
  public Optional<ApiError> apiError() {
    return Optional.ofNullable(apiError);
  }
}
