package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A workflow catalog entry: its id, version and resolved execution bundle. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowReference {

  @Required private String workflowId;

  @Required private String version;

  @Required private String executionBundle;

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
