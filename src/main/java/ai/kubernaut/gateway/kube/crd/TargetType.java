package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonValue;

/** The infrastructure system a signal targets, in {@code spec.targetType}. */
public enum TargetType {
  KUBERNETES("kubernetes"),
  AWS("aws"),
  AZURE("azure"),
  GCP("gcp"),
  DATADOG("datadog");

  private final String value;

  TargetType(String value) {
    this.value = value;
  }

  /** The value as written in the resource. */
  @JsonValue
  public String value() {
    return value;
  }
}
