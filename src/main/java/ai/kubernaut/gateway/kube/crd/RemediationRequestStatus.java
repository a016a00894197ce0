package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The observed state of a RemediationRequest; the gateway writes only {@code deduplication}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription(
    "Progress of the remediation, written by the gateway (deduplication) and the kubernaut"
        + " controllers (everything else).")
public class RemediationRequestStatus {

  @JsonPropertyDescription("Repeats of the signal, counted by the gateway (its only writer).")
  private DeduplicationStatus deduplication;

  @JsonPropertyDescription("The metadata.generation the controller last acted on.")
  @SchemaFormat("int64")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Where the remediation stands: Pending, Processing, Analyzing, AwaitingApproval, Executing, Verifying, Blocked, or a final phase.")
  @SchemaFrom(type = RemediationPhase.class)
  private String overallPhase;

  @JsonPropertyDescription("A human-readable account of the current state.")
  private String message;

  @JsonPropertyDescription("When orchestration started (RFC 3339).")
  @DateTime
  private String startTime;

  @JsonPropertyDescription("When the remediation reached a final phase (RFC 3339).")
  @DateTime
  private String completedAt;

  @JsonPropertyDescription("When each phase started and the child resources created along the way.")
  private PhaseProgress phaseProgress;

  @JsonPropertyDescription(
      "Routing decisions: why the remediation was skipped or blocked, and failure back-off state.")
  private RoutingStatus routingStatus;

  @JsonPropertyDescription(
      "How the remediation ended: outcome, failure or timeout details, notifications.")
  private CompletionStatus completionStatus;

  @JsonPropertyDescription(
      "Who changed the remediation by hand, and the spec hash taken before execution.")
  private OperatorAudit operatorAudit;

  @JsonPropertyDescription(
      "The workflow chosen for the remediation, its execution and what it targets.")
  private WorkflowSelection workflowSelection;

  @JsonPropertyDescription("When this resource may be cleaned up (RFC 3339).")
  @DateTime
  private String retentionExpiryTime;

  @JsonPropertyDescription("Observations of the resource's state, one per condition type.")
  @StandardConditions
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "Timeouts that override the orchestrator's defaults for this remediation.")
  private TimeoutConfig timeoutConfig;

  public DeduplicationStatus getDeduplication() {
    return deduplication;
  }

  public void setDeduplication(DeduplicationStatus deduplication) {
    this.deduplication = deduplication;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getOverallPhase() {
    return overallPhase;
  }

  public void setOverallPhase(String overallPhase) {
    this.overallPhase = overallPhase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletedAt() {
    return completedAt;
  }

  public void setCompletedAt(String completedAt) {
    this.completedAt = completedAt;
  }

  public PhaseProgress getPhaseProgress() {
    return phaseProgress;
  }

  public void setPhaseProgress(PhaseProgress phaseProgress) {
    this.phaseProgress = phaseProgress;
  }

  public RoutingStatus getRoutingStatus() {
    return routingStatus;
  }

  public void setRoutingStatus(RoutingStatus routingStatus) {
    this.routingStatus = routingStatus;
  }

  public CompletionStatus getCompletionStatus() {
    return completionStatus;
  }

  public void setCompletionStatus(CompletionStatus completionStatus) {
    this.completionStatus = completionStatus;
  }

  public OperatorAudit getOperatorAudit() {
    return operatorAudit;
  }

  public void setOperatorAudit(OperatorAudit operatorAudit) {
    this.operatorAudit = operatorAudit;
  }

  public WorkflowSelection getWorkflowSelection() {
    return workflowSelection;
  }

  public void setWorkflowSelection(WorkflowSelection workflowSelection) {
    this.workflowSelection = workflowSelection;
  }

  public String getRetentionExpiryTime() {
    return retentionExpiryTime;
  }

  public void setRetentionExpiryTime(String retentionExpiryTime) {
    this.retentionExpiryTime = retentionExpiryTime;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public TimeoutConfig getTimeoutConfig() {
    return timeoutConfig;
  }

  public void setTimeoutConfig(TimeoutConfig timeoutConfig) {
    this.timeoutConfig = timeoutConfig;
  }
}
