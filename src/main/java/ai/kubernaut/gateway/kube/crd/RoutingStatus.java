package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;

/** The orchestrator's routing decisions: skips, blocks, duplicates and failure back-off. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingStatus {

  @SchemaFrom(type = SkipReason.class)
  private String skipReason;

  private String skipMessage;

  private String blockingWorkflowExecution;

  private String duplicateOf;

  private Long duplicateCount;

  private List<String> duplicateRefs;

  @JsonProperty("deduplicatedByWE")
  private String deduplicatedByWE;

  @SchemaFrom(type = BlockReason.class)
  private String blockReason;

  private String blockMessage;

  @DateTime private String blockedUntil;

  @DateTime private String nextAllowedExecution;

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
