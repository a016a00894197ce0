package ai.kubernaut.gateway.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/** The Go Gateway's single-signal response body. */
record ProcessingResponse(
    String status,
    String message,
    String fingerprint,
    boolean duplicate,
    @JsonInclude(Include.NON_EMPTY) String remediationRequestName,
    @JsonInclude(Include.NON_EMPTY) String remediationRequestNamespace,
    @JsonInclude(Include.NON_NULL) DuplicateMetadata metadata,
    @JsonInclude(Include.NON_NULL) Rejection rejection,
    @JsonInclude(Include.NON_NULL) Resolution resolution) {

  ProcessingResponse(
      String status,
      String message,
      String fingerprint,
      boolean duplicate,
      String remediationRequestName,
      String remediationRequestNamespace,
      DuplicateMetadata metadata,
      Rejection rejection) {
    this(
        status,
        message,
        fingerprint,
        duplicate,
        remediationRequestName,
        remediationRequestNamespace,
        metadata,
        rejection,
        null);
  }

  /**
   * What a resolved alert found: whether its fingerprint has an active incident, which one, and
   * that incident's occurrence count, which the resolution left unchanged. {@code activeIncident}
   * is absent when the alert's target is gone, so its workload is unknown.
   */
  record Resolution(
      @JsonInclude(Include.NON_NULL) Boolean activeIncident,
      @JsonInclude(Include.NON_EMPTY) String remediationRequestRef,
      @JsonInclude(Include.NON_NULL) Integer occurrenceCount) {}

  /** Where a duplicate was counted. */
  record DuplicateMetadata(
      int count,
      String remediationRequestRef,
      @JsonInclude(Include.NON_EMPTY) String firstOccurrence,
      @JsonInclude(Include.NON_EMPTY) String lastOccurrence) {}

  /** Why a signal was not taken on, and how to change that. */
  record Rejection(String status, String reason, String message, String resource, String action) {}
}
