package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ObjectReference;

/**
 * The workflow the AI analysis selected, its execution, the remediation target and display strings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowSelection {

  @JsonPropertyDescription("The workflow chosen for the remediation.")
  private WorkflowReference selectedWorkflowRef;

  @JsonPropertyDescription("The workflow execution that runs it.")
  @AtomicObject
  private ObjectReference executionRef;

  @JsonPropertyDescription("The resource the analysis decided to remediate.")
  private TargetResource remediationTarget;

  @JsonPropertyDescription("The remediation target as Kind/name, for kubectl.")
  private String targetDisplay;

  @JsonPropertyDescription("The analysis's confidence in the choice, as text (for example 0.97).")
  private String confidence;

  @JsonPropertyDescription("The chosen workflow's name, for kubectl.")
  private String workflowDisplayName;

  @JsonPropertyDescription("The signal's target as Kind/name, for kubectl.")
  private String signalTargetDisplay;

  public WorkflowReference getSelectedWorkflowRef() {
    return selectedWorkflowRef;
  }

  public void setSelectedWorkflowRef(WorkflowReference selectedWorkflowRef) {
    this.selectedWorkflowRef = selectedWorkflowRef;
  }

  public ObjectReference getExecutionRef() {
    return executionRef;
  }

  public void setExecutionRef(ObjectReference executionRef) {
    this.executionRef = executionRef;
  }

  public TargetResource getRemediationTarget() {
    return remediationTarget;
  }

  public void setRemediationTarget(TargetResource remediationTarget) {
    this.remediationTarget = remediationTarget;
  }

  public String getTargetDisplay() {
    return targetDisplay;
  }

  public void setTargetDisplay(String targetDisplay) {
    this.targetDisplay = targetDisplay;
  }

  public String getConfidence() {
    return confidence;
  }

  public void setConfidence(String confidence) {
    this.confidence = confidence;
  }

  public String getWorkflowDisplayName() {
    return workflowDisplayName;
  }

  public void setWorkflowDisplayName(String workflowDisplayName) {
    this.workflowDisplayName = workflowDisplayName;
  }

  public String getSignalTargetDisplay() {
    return signalTargetDisplay;
  }

  public void setSignalTargetDisplay(String signalTargetDisplay) {
    this.signalTargetDisplay = signalTargetDisplay;
  }
}
