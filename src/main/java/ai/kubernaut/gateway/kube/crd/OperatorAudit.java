package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Who last changed the status by hand, and the target's spec hash taken before remediation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OperatorAudit {

  @JsonPropertyDescription("The user who last changed the status by hand.")
  private String lastModifiedBy;

  @JsonPropertyDescription("When the status was last changed by hand (RFC 3339).")
  @DateTime
  private String lastModifiedAt;

  @JsonPropertyDescription("The hash of the target's spec taken before the workflow ran.")
  @ValidationRule(
      value = "oldSelf == '' || self == oldSelf",
      message = "preRemediationSpecHash is immutable once set")
  private String preRemediationSpecHash;

  public String getLastModifiedBy() {
    return lastModifiedBy;
  }

  public void setLastModifiedBy(String lastModifiedBy) {
    this.lastModifiedBy = lastModifiedBy;
  }

  public String getLastModifiedAt() {
    return lastModifiedAt;
  }

  public void setLastModifiedAt(String lastModifiedAt) {
    this.lastModifiedAt = lastModifiedAt;
  }

  public String getPreRemediationSpecHash() {
    return preRemediationSpecHash;
  }

  public void setPreRemediationSpecHash(String preRemediationSpecHash) {
    this.preRemediationSpecHash = preRemediationSpecHash;
  }
}
