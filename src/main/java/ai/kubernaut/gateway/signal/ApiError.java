package ai.kubernaut.gateway.signal;

import java.util.Objects;

/**
 * What the Kubernetes API answered when a call failed, as far as the audit trail needs it.
 *
 * @param code the HTTP status, 0 when no answer arrived (connection lost, timeout)
 * @param reason the {@code Status.reason} of the answer (e.g. {@code Conflict}), empty when absent
 */
public record ApiError(int code, String reason) {

  /** The reason recorded for a call that was not sent because the circuit breaker is open. */
  public static final String CIRCUIT_BREAKER_OPEN = "CircuitBreakerOpen";

  public ApiError {
    Objects.requireNonNull(reason, "reason");
  }

  /** The failure of a call the circuit breaker kept from being sent. */
  public static ApiError circuitBreakerOpen() {
    return new ApiError(0, CIRCUIT_BREAKER_OPEN);
  }
}
