package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a remediation waits in the Blocked phase, in {@code status.routingStatus.blockReason}. */
public enum BlockReason {
  CONSECUTIVE_FAILURES("ConsecutiveFailures"),
  DUPLICATE_IN_PROGRESS("DuplicateInProgress"),
  RESOURCE_BUSY("ResourceBusy"),
  RECENTLY_REMEDIATED("RecentlyRemediated"),
  EXPONENTIAL_BACKOFF("ExponentialBackoff"),
  UNMANAGED_RESOURCE("UnmanagedResource"),
  INEFFECTIVE_CHAIN("IneffectiveChain");

  private final String value;

  BlockReason(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  @JsonValue
  public String value() {
    return value;
  }
}
