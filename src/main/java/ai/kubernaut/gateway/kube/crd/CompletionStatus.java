package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.List;

/** How a remediation ended: outcome, failure or timeout details, and notification tracking. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CompletionStatus {

  @SchemaFrom(type = FailurePhase.class)
  private String failurePhase;

  private String failureReason;

  private Boolean requiresManualReview;

  @SchemaFrom(type = RemediationOutcome.class)
  private String outcome;

  @SchemaFrom(type = RemediationPhase.class)
  private String timeoutPhase;

  @DateTime private String timeoutTime;

  @AtomicObject private List<ObjectReference> notificationRequestRefs;

  @SchemaFrom(type = NotificationStatus.class)
  private String notificationStatus;

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
