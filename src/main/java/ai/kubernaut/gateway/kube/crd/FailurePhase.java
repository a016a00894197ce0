package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** The orchestration step that failed, in {@code status.completionStatus.failurePhase}. */
public enum FailurePhase {
  CONFIGURATION("Configuration"),
  SIGNAL_PROCESSING("SignalProcessing"),
  AI_ANALYSIS("AIAnalysis"),
  APPROVAL("Approval"),
  WORKFLOW_EXECUTION("WorkflowExecution"),
  BLOCKED("Blocked"),
  DEDUPLICATED("Deduplicated");

  private final String value;

  FailurePhase(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  @JsonValue
  public String value() {
    return value;
  }
}
