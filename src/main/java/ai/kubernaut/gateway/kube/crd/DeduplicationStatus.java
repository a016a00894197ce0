package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How often the gateway has seen the signal behind a RemediationRequest, and when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeduplicationStatus {

  @JsonPropertyDescription("When the first signal of this incident arrived (RFC 3339).")
  @DateTime
  private String firstSeenAt;

  @JsonPropertyDescription("When the latest signal of this incident arrived (RFC 3339).")
  @DateTime
  private String lastSeenAt;

  @JsonPropertyDescription("How many signals this incident has received, the first included.")
  @SchemaFormat("int32")
  private Integer occurrenceCount;

  public String getFirstSeenAt() {
    return firstSeenAt;
  }

  public void setFirstSeenAt(String firstSeenAt) {
    this.firstSeenAt = firstSeenAt;
  }

  public String getLastSeenAt() {
    return lastSeenAt;
  }

  public void setLastSeenAt(String lastSeenAt) {
    this.lastSeenAt = lastSeenAt;
  }

  public Integer getOccurrenceCount() {
    return occurrenceCount;
  }

  public void setOccurrenceCount(Integer occurrenceCount) {
    this.occurrenceCount = occurrenceCount;
  }
}
