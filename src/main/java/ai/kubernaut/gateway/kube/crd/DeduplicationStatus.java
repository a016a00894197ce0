package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How often the gateway has seen the signal behind a RemediationRequest, and when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeduplicationStatus {

  @DateTime private String firstSeenAt;

  @DateTime private String lastSeenAt;

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
