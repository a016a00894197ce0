package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The observed state of a RemediationRequest; the gateway writes only {@code deduplication}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RemediationRequestStatus {

  private DeduplicationStatus deduplication;

  @SchemaFormat("int64")
  private Long observedGeneration;

  @SchemaFrom(type = RemediationPhase.class)
  private String overallPhase;

  private String message;

  @DateTime private String startTime;

  @DateTime private String completedAt;

  private PhaseProgress phaseProgress;

  private RoutingStatus routingStatus;

  private CompletionStatus completionStatus;

  private OperatorAudit operatorAudit;

  private WorkflowSelection workflowSelection;

  @DateTime private String retentionExpiryTime;

  @StandardConditions private List<Condition> conditions;

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
