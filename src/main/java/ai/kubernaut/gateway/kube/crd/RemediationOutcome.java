package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** The result of a finished remediation in {@code status.completionStatus.outcome}. */
public enum RemediationOutcome {
  REMEDIATED("Remediated"),
  NO_ACTION_REQUIRED("NoActionRequired"),
  MANUAL_REVIEW_REQUIRED("ManualReviewRequired"),
  VERIFICATION_TIMED_OUT("VerificationTimedOut"),
  INCONCLUSIVE("Inconclusive"),
  DRY_RUN("DryRun");

  private final String value;

  RemediationOutcome(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  @JsonValue
  public String value() {
    return value;
  }
}
