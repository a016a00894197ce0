package ai.kubernaut.gateway.signal;

/**
 * A signal can never be recorded as sent: its target does not exist or cannot be resolved, or the
 * API server rejected the incident as invalid. Retrying will not help.
 */
public class InvalidSignalException extends RuntimeException {

  public InvalidSignalException(String message) {
    super(message);
  }
}
