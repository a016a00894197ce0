package ai.kubernaut.gateway.signal;

/** The API server refused the incident this signal would open: the signal can never open it. */
final class RefusedSignalException extends RuntimeException {
  private final transient Signal signal;

  RefusedSignalException(Signal signal, String message) {
    super(message);
    this.signal = signal;
  }

  Signal signal() {
    return signal;
  }
}
