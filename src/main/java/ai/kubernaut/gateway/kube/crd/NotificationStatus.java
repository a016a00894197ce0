package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The delivery state of a remediation's notifications, in {@code
 * status.completionStatus.notificationStatus}.
 */
public enum NotificationStatus {
  PENDING("Pending"),
  IN_PROGRESS("InProgress"),
  SENT("Sent"),
  FAILED("Failed"),
  CANCELLED("Cancelled");

  private final String value;

  NotificationStatus(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  @JsonValue
  public String value() {
    return value;
  }
}
