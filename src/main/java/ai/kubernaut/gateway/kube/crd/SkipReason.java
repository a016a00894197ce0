package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a remediation was skipped, in {@code status.routingStatus.skipReason}. */
public enum SkipReason {
  RECENTLY_REMEDIATED("RecentlyRemediated"),
  RESOURCE_BUSY("ResourceBusy"),
  EXHAUSTED_RETRIES("ExhaustedRetries"),
  PREVIOUS_EXECUTION_FAILED("PreviousExecutionFailed");

  private final String value;

  SkipReason(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  @JsonValue
  public String value() {
    return value;
  }
}
