package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crd.generator.annotation.SelectableField;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The immutable description of one signal that needs remediation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable after creation (ADR-001)")
public class RemediationRequestSpec {

  @Required
  @Size(max = 64)
  @Pattern("^[a-f0-9]{64}$")
  @ValidationRule(value = "self == oldSelf", message = "signalFingerprint is immutable")
  @SelectableField
  private String signalFingerprint;

  @Required
  @Size(max = 253)
  private String signalName;

  @Required
  @Size(min = 1, max = 50)
  @SelectableField
  private String severity;

  @Required @SelectableField private String signalType;

  @Size(max = 63)
  private String signalSource;

  @Required
  @SchemaFrom(type = TargetType.class)
  private String targetType;

  @Required private TargetResource targetResource;

  @JsonProperty("clusterID")
  @Size(max = 253)
  @SelectableField
  private String clusterID;

  @Required @DateTime private String firingTime;

  @Required @DateTime private String receivedTime;

  private Map<String, String> signalLabels;

  private Map<String, String> signalAnnotations;

  private String providerData;

  private String originalPayload;

  public String getSignalFingerprint() {
    return signalFingerprint;
  }

  public void setSignalFingerprint(String signalFingerprint) {
    this.signalFingerprint = signalFingerprint;
  }

  public String getSignalName() {
    return signalName;
  }

  public void setSignalName(String signalName) {
    this.signalName = signalName;
  }

  public String getSeverity() {
    return severity;
  }

  public void setSeverity(String severity) {
    this.severity = severity;
  }

  public String getSignalType() {
    return signalType;
  }

  public void setSignalType(String signalType) {
    this.signalType = signalType;
  }

  public String getSignalSource() {
    return signalSource;
  }

  public void setSignalSource(String signalSource) {
    this.signalSource = signalSource;
  }

  public String getTargetType() {
    return targetType;
  }

  public void setTargetType(String targetType) {
    this.targetType = targetType;
  }

  public TargetResource getTargetResource() {
    return targetResource;
  }

  public void setTargetResource(TargetResource targetResource) {
    this.targetResource = targetResource;
  }

  public String getClusterID() {
    return clusterID;
  }

  public void setClusterID(String clusterID) {
    this.clusterID = clusterID;
  }

  public String getFiringTime() {
    return firingTime;
  }

  public void setFiringTime(String firingTime) {
    this.firingTime = firingTime;
  }

  public String getReceivedTime() {
    return receivedTime;
  }

  public void setReceivedTime(String receivedTime) {
    this.receivedTime = receivedTime;
  }

  public Map<String, String> getSignalLabels() {
    return signalLabels;
  }

  public void setSignalLabels(Map<String, String> signalLabels) {
    this.signalLabels = signalLabels;
  }

  public Map<String, String> getSignalAnnotations() {
    return signalAnnotations;
  }

  public void setSignalAnnotations(Map<String, String> signalAnnotations) {
    this.signalAnnotations = signalAnnotations;
  }

  public String getProviderData() {
    return providerData;
  }

  public void setProviderData(String providerData) {
    this.providerData = providerData;
  }

  public String getOriginalPayload() {
    return originalPayload;
  }

  public void setOriginalPayload(String originalPayload) {
    this.originalPayload = originalPayload;
  }
}
