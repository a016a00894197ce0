package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ObjectReference;

/** Per-phase start times and references to the child resources created along the way. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PhaseProgress {

  @JsonPropertyDescription("When signal processing started (RFC 3339).")
  @DateTime
  private String processingStartTime;

  @JsonPropertyDescription("When analysis started (RFC 3339).")
  @DateTime
  private String analyzingStartTime;

  @JsonPropertyDescription("When workflow execution started (RFC 3339).")
  @DateTime
  private String executingStartTime;

  @JsonPropertyDescription("When the Verifying phase times out (RFC 3339).")
  @DateTime
  private String verificationDeadline;

  @JsonPropertyDescription("The SignalProcessing resource of this remediation.")
  @AtomicObject
  private ObjectReference signalProcessingRef;

  @JsonPropertyDescription("The RemediationProcessing resource of this remediation.")
  @AtomicObject
  private ObjectReference remediationProcessingRef;

  @JsonPropertyDescription("The AIAnalysis resource of this remediation.")
  @AtomicObject
  private ObjectReference aiAnalysisRef;

  @JsonPropertyDescription("The WorkflowExecution resource of this remediation.")
  @AtomicObject
  private ObjectReference workflowExecutionRef;

  @JsonPropertyDescription("The EffectivenessAssessment resource of this remediation.")
  @AtomicObject
  private ObjectReference effectivenessAssessmentRef;

  @JsonPropertyDescription("The SignalProcessing resource in progress.")
  @AtomicObject
  private ObjectReference currentProcessingRef;

  public String getProcessingStartTime() {
    return processingStartTime;
  }

  public void setProcessingStartTime(String processingStartTime) {
    this.processingStartTime = processingStartTime;
  }

  public String getAnalyzingStartTime() {
    return analyzingStartTime;
  }

  public void setAnalyzingStartTime(String analyzingStartTime) {
    this.analyzingStartTime = analyzingStartTime;
  }

  public String getExecutingStartTime() {
    return executingStartTime;
  }

  public void setExecutingStartTime(String executingStartTime) {
    this.executingStartTime = executingStartTime;
  }

  public String getVerificationDeadline() {
    return verificationDeadline;
  }

  public void setVerificationDeadline(String verificationDeadline) {
    this.verificationDeadline = verificationDeadline;
  }

  public ObjectReference getSignalProcessingRef() {
    return signalProcessingRef;
  }

  public void setSignalProcessingRef(ObjectReference signalProcessingRef) {
    this.signalProcessingRef = signalProcessingRef;
  }

  public ObjectReference getRemediationProcessingRef() {
    return remediationProcessingRef;
  }

  public void setRemediationProcessingRef(ObjectReference remediationProcessingRef) {
    this.remediationProcessingRef = remediationProcessingRef;
  }

  public ObjectReference getAiAnalysisRef() {
    return aiAnalysisRef;
  }

  public void setAiAnalysisRef(ObjectReference aiAnalysisRef) {
    this.aiAnalysisRef = aiAnalysisRef;
  }

  public ObjectReference getWorkflowExecutionRef() {
    return workflowExecutionRef;
  }

  public void setWorkflowExecutionRef(ObjectReference workflowExecutionRef) {
    this.workflowExecutionRef = workflowExecutionRef;
  }

  public ObjectReference getEffectivenessAssessmentRef() {
    return effectivenessAssessmentRef;
  }

  public void setEffectivenessAssessmentRef(ObjectReference effectivenessAssessmentRef) {
    this.effectivenessAssessmentRef = effectivenessAssessmentRef;
  }

  public ObjectReference getCurrentProcessingRef() {
    return currentProcessingRef;
  }

  public void setCurrentProcessingRef(ObjectReference currentProcessingRef) {
    this.currentProcessingRef = currentProcessingRef;
  }
}
