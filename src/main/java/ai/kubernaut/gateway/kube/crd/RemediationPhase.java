package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The orchestration phase in {@code status.overallPhase} and {@code
 * status.completionStatus.timeoutPhase}.
 */
public enum RemediationPhase {
  PENDING("Pending"),
  PROCESSING("Processing"),
  ANALYZING("Analyzing"),
  AWAITING_APPROVAL("AwaitingApproval"),
  EXECUTING("Executing"),
  VERIFYING("Verifying"),
  BLOCKED("Blocked"),
  COMPLETED("Completed"),
  FAILED("Failed"),
  TIMED_OUT("TimedOut"),
  SKIPPED("Skipped"),
  CANCELLED("Cancelled");

  private final String value;

  RemediationPhase(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  @JsonValue
  public String value() {
    return value;
  }
}
