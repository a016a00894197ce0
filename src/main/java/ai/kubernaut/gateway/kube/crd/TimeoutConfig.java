package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Timeout overrides for the whole remediation and its phases, as Go duration strings such as {@code
 * 1h0m0s}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeoutConfig {

  @JsonPropertyDescription("The whole remediation's timeout, as a Go duration such as 1h.")
  @SchemaFormat("duration")
  private String global;

  @JsonPropertyDescription("The signal-processing phase's timeout, as a Go duration.")
  @SchemaFormat("duration")
  private String processing;

  @JsonPropertyDescription("The analysis phase's timeout, as a Go duration.")
  @SchemaFormat("duration")
  private String analyzing;

  @JsonPropertyDescription("The workflow-execution phase's timeout, as a Go duration.")
  @SchemaFormat("duration")
  private String executing;

  public String getGlobal() {
    return global;
  }

  public void setGlobal(String global) {
    this.global = global;
  }

  public String getProcessing() {
    return processing;
  }

  public void setProcessing(String processing) {
    this.processing = processing;
  }

  public String getAnalyzing() {
    return analyzing;
  }

  public void setAnalyzing(String analyzing) {
    this.analyzing = analyzing;
  }

  public String getExecuting() {
    return executing;
  }

  public void setExecuting(String executing) {
    this.executing = executing;
  }
}
