package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crd.generator.annotation.SelectableField;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The immutable description of one signal that needs remediation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription(
    "The signal and the resource it is about, as the gateway recorded them; immutable.")
@ValidationRule(value = "self == oldSelf", message = "spec is immutable after creation (ADR-001)")
public class RemediationRequestSpec {

  @JsonPropertyDescription(
      "SHA-256 (64 lowercase hex characters) of the incident key; one active RemediationRequest exists per fingerprint. Immutable.")
  @Required
  @Size(max = 64)
  @Pattern("^[a-f0-9]{64}$")
  @ValidationRule(value = "self == oldSelf", message = "signalFingerprint is immutable")
  @SelectableField
  private String signalFingerprint;

  @JsonPropertyDescription(
      "The alert name or event reason, for example KubePodCrashLooping or BackOff.")
  @Required
  @Size(max = 253)
  private String signalName;

  @JsonPropertyDescription(
      "The severity as the signal source wrote it (critical, warning, P0, ...); not normalised.")
  @Required
  @Size(min = 1, max = 50)
  @SelectableField
  private String severity;

  @JsonPropertyDescription("The kind of signal: alert.")
  @Required
  @SelectableField
  private String signalType;

  @JsonPropertyDescription(
      "The adapter that received the signal, for example prometheus-adapter or k8s-event-adapter.")
  @Size(max = 63)
  private String signalSource;

  @JsonPropertyDescription(
      "The system the signal is about: kubernetes, aws, azure, gcp or datadog.")
  @Required
  @SchemaFrom(type = TargetType.class)
  private String targetType;

  @JsonPropertyDescription(
      "The resource the remediation is about, after owner resolution (for example the Deployment owning the alerting Pod).")
  @Required
  private TargetResource targetResource;

  @JsonPropertyDescription(
      "The cluster the signal came from (its cluster label); empty for the local cluster.")
  @JsonProperty("clusterID")
  @Size(max = 253)
  @SelectableField
  private String clusterID;

  @JsonPropertyDescription("When the signal started firing at its source (RFC 3339).")
  @Required
  @DateTime
  private String firingTime;

  @JsonPropertyDescription(
      "When the gateway received the first signal of this incident (RFC 3339).")
  @Required
  @DateTime
  private String receivedTime;

  @JsonPropertyDescription("The signal's labels as received.")
  private Map<String, String> signalLabels;

  @JsonPropertyDescription("The signal's annotations as received.")
  private Map<String, String> signalAnnotations;

  @JsonPropertyDescription("Source-specific details as a JSON document.")
  private String providerData;

  @JsonPropertyDescription("The request body that created this resource, as text.")
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
