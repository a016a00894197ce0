package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;

/** The orchestrator's routing decisions: skips, blocks, duplicates and failure back-off. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingStatus {

  @JsonPropertyDescription(
      "Why the remediation was skipped; set when overallPhase is Skipped or Failed.")
  @SchemaFrom(type = SkipReason.class)
  private String skipReason;

  @JsonPropertyDescription("Why the remediation was skipped, for people.")
  private String skipMessage;

  @JsonPropertyDescription("The workflow execution that blocks this remediation.")
  private String blockingWorkflowExecution;

  @JsonPropertyDescription("The RemediationRequest this one duplicates.")
  private String duplicateOf;

  @JsonPropertyDescription("How many duplicate remediations were skipped in favour of this one.")
  private Long duplicateCount;

  @JsonPropertyDescription("The names of the RemediationRequests skipped in favour of this one.")
  private List<String> duplicateRefs;

  @JsonPropertyDescription(
      "The workflow execution whose outcome this remediation waits to take over.")
  @JsonProperty("deduplicatedByWE")
  private String deduplicatedByWE;

  @JsonPropertyDescription("Why the remediation is blocked; set when overallPhase is Blocked.")
  @SchemaFrom(type = BlockReason.class)
  private String blockReason;

  @JsonPropertyDescription("Why the remediation is blocked, for people.")
  private String blockMessage;

  @JsonPropertyDescription("When a time-based block ends (RFC 3339).")
  @DateTime
  private String blockedUntil;

  @JsonPropertyDescription(
      "When the remediation may run again after back-off (RFC 3339); until then, repeats of the signal are folded into it.")
  @DateTime
  private String nextAllowedExecution;

  @JsonPropertyDescription("How many times in a row remediations of this fingerprint have failed.")
  @SchemaFormat("int32")
  private Integer consecutiveFailureCount;

  public String getSkipReason() {
    return skipReason;
  }

  public void setSkipReason(String skipReason) {
    this.skipReason = skipReason;
  }

  public String getSkipMessage() {
    return skipMessage;
  }

  public void setSkipMessage(String skipMessage) {
    this.skipMessage = skipMessage;
  }

  public String getBlockingWorkflowExecution() {
    return blockingWorkflowExecution;
  }

  public void setBlockingWorkflowExecution(String blockingWorkflowExecution) {
    this.blockingWorkflowExecution = blockingWorkflowExecution;
  }

  public String getDuplicateOf() {
    return duplicateOf;
  }

  public void setDuplicateOf(String duplicateOf) {
    this.duplicateOf = duplicateOf;
  }

  public Long getDuplicateCount() {
    return duplicateCount;
  }

  public void setDuplicateCount(Long duplicateCount) {
    this.duplicateCount = duplicateCount;
  }

  public List<String> getDuplicateRefs() {
    return duplicateRefs;
  }

  public void setDuplicateRefs(List<String> duplicateRefs) {
    this.duplicateRefs = duplicateRefs;
  }

  public String getDeduplicatedByWE() {
    return deduplicatedByWE;
  }

  public void setDeduplicatedByWE(String deduplicatedByWE) {
    this.deduplicatedByWE = deduplicatedByWE;
  }

  public String getBlockReason() {
    return blockReason;
  }

  public void setBlockReason(String blockReason) {
    this.blockReason = blockReason;
  }

  public String getBlockMessage() {
    return blockMessage;
  }

  public void setBlockMessage(String blockMessage) {
    this.blockMessage = blockMessage;
  }

  public String getBlockedUntil() {
    return blockedUntil;
  }

  public void setBlockedUntil(String blockedUntil) {
    this.blockedUntil = blockedUntil;
  }

  public String getNextAllowedExecution() {
    return nextAllowedExecution;
  }

  public void setNextAllowedExecution(String nextAllowedExecution) {
    this.nextAllowedExecution = nextAllowedExecution;
  }

  public Integer getConsecutiveFailureCount() {
    return consecutiveFailureCount;
  }

  public void setConsecutiveFailureCount(Integer consecutiveFailureCount) {
    this.consecutiveFailureCount = consecutiveFailureCount;
  }
}
