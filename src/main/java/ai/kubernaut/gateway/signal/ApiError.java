package ai.kubernaut.gateway.signal;

import java.util.Objects;

/**
 * What the Kubernetes API answered when a call failed, as far as the audit trail needs it.
 *
 * @param code the HTTP status, 0 when no answer arrived (connection lost, timeout)
 * @param reason the {@code Status.reason} of the answer (e.g. {@code Conflict}), empty when absent
 */
public record ApiError(int code, String reason) {

  public ApiError {
    Objects.requireNonNull(reason, "reason");
  }
}
