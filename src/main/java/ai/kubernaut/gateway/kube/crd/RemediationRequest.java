package ai.kubernaut.gateway.kube.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A signal that needs remediation, created by the gateway and driven by the orchestrator. */
@JsonClassDescription(
    "A signal that needs remediation: created by the gateway for one incident, driven by the"
        + " remediation orchestrator.")
@Group("kubernaut.ai")
@Version("v1alpha1")
@Kind("RemediationRequest")
@Plural("remediationrequests")
@Singular("remediationrequest")
@ShortNames("rr")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.overallPhase")
@AdditionalPrinterColumn(name = "Outcome", jsonPath = ".status.completionStatus.outcome")
@AdditionalPrinterColumn(name = "Alert", jsonPath = ".spec.signalName")
@AdditionalPrinterColumn(name = "RCA Target", jsonPath = ".status.workflowSelection.targetDisplay")
@AdditionalPrinterColumn(
    name = "Workflow",
    jsonPath = ".status.workflowSelection.workflowDisplayName")
@AdditionalPrinterColumn(name = "Confidence", jsonPath = ".status.workflowSelection.confidence")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.clusterID", priority = 1)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".spec.signalSource", priority = 1)
@AdditionalPrinterColumn(
    name = "Signal NS",
    jsonPath = ".spec.targetResource.namespace",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Signal Target",
    jsonPath = ".status.workflowSelection.signalTargetDisplay",
    priority = 1)
@AdditionalPrinterColumn(
    name = "RCA NS",
    jsonPath = ".status.workflowSelection.remediationTarget.namespace",
    priority = 1)
public class RemediationRequest
    extends CustomResource<RemediationRequestSpec, RemediationRequestStatus>
    implements Namespaced {}
