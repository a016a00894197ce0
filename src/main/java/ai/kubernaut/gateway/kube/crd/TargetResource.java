package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Identifies the Kubernetes resource a signal is about, or the one a remediation acts on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetResource {

  @JsonPropertyDescription("The resource's kind, for example Pod, Deployment or Node.")
  @Required
  private String kind;

  @JsonPropertyDescription("The resource's name.")
  @Required
  private String name;

  @JsonPropertyDescription("The resource's namespace; empty for cluster-scoped kinds such as Node.")
  private String namespace;

  @JsonPropertyDescription(
      "The resource's group and version, for kinds that exist in more than one API group.")
  private String apiVersion;

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getApiVersion() {
    return apiVersion;
  }

  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }
}
