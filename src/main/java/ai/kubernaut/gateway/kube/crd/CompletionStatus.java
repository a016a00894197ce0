package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.List;

/** How a remediation ended: outcome, failure or timeout details, and notification tracking. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CompletionStatus {

  @JsonPropertyDescription("The phase that failed; set when overallPhase is Failed.")
  @SchemaFrom(type = FailurePhase.class)
  private String failurePhase;

  @JsonPropertyDescription("Why the remediation failed, for people.")
  private String failureReason;

  @JsonPropertyDescription("True when the remediation cannot go on without an operator.")
  private Boolean requiresManualReview;

  @JsonPropertyDescription("The result of a completed remediation.")
  @SchemaFrom(type = RemediationOutcome.class)
  private String outcome;

  @JsonPropertyDescription("The phase that timed out; set when overallPhase is TimedOut.")
  @SchemaFrom(type = RemediationPhase.class)
  private String timeoutPhase;

  @JsonPropertyDescription("When the timeout happened (RFC 3339).")
  @DateTime
  private String timeoutTime;

  @JsonPropertyDescription("The notification requests created for this remediation.")
  @AtomicObject
  private List<ObjectReference> notificationRequestRefs;

  @JsonPropertyDescription("Where delivery of the notifications stands.")
  @SchemaFrom(type = NotificationStatus.class)
  private String notificationStatus;

  @JsonPropertyDescription("Whether the approval request was already notified, so it is sent once.")
  private Boolean approvalNotificationSent;

  public String getFailurePhase() {
    return failurePhase;
  }

  public void setFailurePhase(String failurePhase) {
    this.failurePhase = failurePhase;
  }

  public String getFailureReason() {
    return failureReason;
  }

  public void setFailureReason(String failureReason) {
    this.failureReason = failureReason;
  }

  public Boolean getRequiresManualReview() {
    return requiresManualReview;
  }

  public void setRequiresManualReview(Boolean requiresManualReview) {
    this.requiresManualReview = requiresManualReview;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  public String getTimeoutPhase() {
    return timeoutPhase;
  }

  public void setTimeoutPhase(String timeoutPhase) {
    this.timeoutPhase = timeoutPhase;
  }

  public String getTimeoutTime() {
    return timeoutTime;
  }

  public void setTimeoutTime(String timeoutTime) {
    this.timeoutTime = timeoutTime;
  }

  public List<ObjectReference> getNotificationRequestRefs() {
    return notificationRequestRefs;
  }

  public void setNotificationRequestRefs(List<ObjectReference> notificationRequestRefs) {
    this.notificationRequestRefs = notificationRequestRefs;
  }

  public String getNotificationStatus() {
    return notificationStatus;
  }

  public void setNotificationStatus(String notificationStatus) {
    this.notificationStatus = notificationStatus;
  }

  public Boolean getApprovalNotificationSent() {
    return approvalNotificationSent;
  }

  public void setApprovalNotificationSent(Boolean approvalNotificationSent) {
    this.approvalNotificationSent = approvalNotificationSent;
  }
}
