package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A workflow catalog entry: its id, version and resolved execution bundle. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowReference {

  @JsonPropertyDescription("The workflow's identifier in the catalogue.")
  @Required
  private String workflowId;

  @JsonPropertyDescription("The workflow's version.")
  @Required
  private String version;

  @JsonPropertyDescription("The bundle (for example a container image) that runs the workflow.")
  @Required
  private String executionBundle;

  @JsonPropertyDescription("The digest of the execution bundle.")
  private String executionBundleDigest;

  public String getWorkflowId() {
    return workflowId;
  }

  public void setWorkflowId(String workflowId) {
    this.workflowId = workflowId;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getExecutionBundle() {
    return executionBundle;
  }

  public void setExecutionBundle(String executionBundle) {
    this.executionBundle = executionBundle;
  }

  public String getExecutionBundleDigest() {
    return executionBundleDigest;
  }

  public void setExecutionBundleDigest(String executionBundleDigest) {
    this.executionBundleDigest = executionBundleDigest;
  }
}
