package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectReference;

/**
 * The workflow the AI analysis selected, its execution, the remediation target and display strings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowSelection {

  private WorkflowReference selectedWorkflowRef;

  @AtomicObject private ObjectReference executionRef;

  private TargetResource remediationTarget;

  private String targetDisplay;

  private String confidence;

  private String workflowDisplayName;

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
