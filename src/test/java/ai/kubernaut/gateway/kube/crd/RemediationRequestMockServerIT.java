package ai.kubernaut.gateway.kube.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.EditReplacePatchable;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(
    crud = true,
    https = false,
    kubernetesClientBuilderCustomizer = RemediationRequestMockServerIT.NoRetries.class)
class RemediationRequestMockServerIT {

  static final String NAMESPACE = "kubernaut-system";
  static final String FINGERPRINT =
      "b157a3a9e42f0c1d2e3f4a5b6c7d8e9f00112233445566778899aabbccddeeff";

  /** Surfaces every API error at once instead of retrying it. */
  public static final class NoRetries implements Consumer<KubernetesClientBuilder> {
    @Override
    public void accept(KubernetesClientBuilder builder) {
      builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  KubernetesClient client;
  private CustomResourceDefinition crd;

  @BeforeEach
  void registerCrd() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(CrdManifestTest.GENERATED)) {
      crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  @Test
  void createDropsStatus() {
    RemediationRequest rr = newRequest("rr-create");
    DeduplicationStatus dedup = new DeduplicationStatus();
    dedup.setOccurrenceCount(7);
    RemediationRequestStatus status = new RemediationRequestStatus();
    status.setDeduplication(dedup);
    status.setOverallPhase(RemediationPhase.COMPLETED.value());
    rr.setStatus(status);

    RemediationRequest created = requests().resource(rr).create();

    assertThat(created.getStatus()).isNull();
    assertThat(requests().withName("rr-create").get().getStatus()).isNull();
    assertThat(created.getSpec().getSignalFingerprint()).isEqualTo(FINGERPRINT);
  }

  @Test
  void statusMergePatchWithCurrentResourceVersionIsPersisted() {
    RemediationRequest created = requests().resource(newRequest("rr-dedup")).create();

    RemediationRequest patched =
        status("rr-dedup").patch(mergePatch(), deduplicationPatch(created, 2));

    RemediationRequest stored = requests().withName("rr-dedup").get();
    DeduplicationStatus dedup = stored.getStatus().getDeduplication();
    assertThat(dedup.getFirstSeenAt()).isEqualTo("2026-11-21T10:00:00Z");
    assertThat(dedup.getLastSeenAt()).isEqualTo("2026-11-21T10:05:00Z");
    assertThat(dedup.getOccurrenceCount()).isEqualTo(2);
    assertThat(patched.getMetadata().getResourceVersion())
        .isNotEqualTo(created.getMetadata().getResourceVersion());
    assertThat(stored.getMetadata().getGeneration())
        .isEqualTo(created.getMetadata().getGeneration());
  }

  @Test
  void statusMergePatchWithStaleResourceVersionConflicts() {
    RemediationRequest created = requests().resource(newRequest("rr-stale")).create();
    status("rr-stale").patch(mergePatch(), deduplicationPatch(created, 2));

    assertThatThrownBy(() -> status("rr-stale").patch(mergePatch(), deduplicationPatch(created, 3)))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(requests().withName("rr-stale").get().getStatus().getDeduplication())
        .extracting(DeduplicationStatus::getOccurrenceCount)
        .isEqualTo(2);
  }

  @Test
  void everyStatusFieldSurvivesARoundTripThroughTheModel() throws IOException {
    JsonNode written = JSON.readTree(FULL_STATUS);
    assertThat(leafPaths(written))
        .as("the fixture sets every status field of the CRD schema")
        .isEqualTo(leafPaths(statusSchema()));
    RemediationRequest created = requests().resource(newRequest("rr-full")).create();
    String patch =
        JSON.writeValueAsString(
            Map.of(
                "metadata",
                Map.of("resourceVersion", created.getMetadata().getResourceVersion()),
                "status",
                written));

    status("rr-full").patch(mergePatch(), patch);

    RemediationRequestStatus read = requests().withName("rr-full").get().getStatus();
    JsonNode reserialized = JSON.readTree(client.getKubernetesSerialization().asJson(read));
    assertThat(reserialized).isEqualTo(written);
  }

  private NonNamespaceOperation<
          RemediationRequest,
          KubernetesResourceList<RemediationRequest>,
          Resource<RemediationRequest>>
      requests() {
    return client.resources(RemediationRequest.class).inNamespace(NAMESPACE);
  }

  private EditReplacePatchable<RemediationRequest> status(String name) {
    return requests().withName(name).subresource("status");
  }

  private static PatchContext mergePatch() {
    return PatchContext.of(PatchType.JSON_MERGE);
  }

  private static String deduplicationPatch(RemediationRequest basis, int occurrences) {
    return """
        {"metadata":{"resourceVersion":"%s"},
         "status":{"deduplication":{"firstSeenAt":"2026-11-21T10:00:00Z",
                                    "lastSeenAt":"2026-11-21T10:05:00Z",
                                    "occurrenceCount":%d}}}"""
        .formatted(basis.getMetadata().getResourceVersion(), occurrences);
  }

  private static RemediationRequest newRequest(String name) {
    TargetResource target = new TargetResource();
    target.setKind("Deployment");
    target.setName("web-frontend");
    target.setNamespace("shop");
    target.setApiVersion("apps/v1");
    RemediationRequestSpec spec = new RemediationRequestSpec();
    spec.setSignalFingerprint(FINGERPRINT);
    spec.setSignalName("HighMemoryUsage");
    spec.setSeverity("critical");
    spec.setSignalType("alert");
    spec.setSignalSource("prometheus");
    spec.setTargetType(TargetType.KUBERNETES.value());
    spec.setTargetResource(target);
    spec.setClusterID("hub");
    spec.setFiringTime("2026-11-21T09:59:30Z");
    spec.setReceivedTime("2026-11-21T10:00:00Z");
    spec.setSignalLabels(Map.of("alertname", "HighMemoryUsage", "namespace", "shop"));
    spec.setSignalAnnotations(Map.of("summary", "memory above 90%"));
    spec.setProviderData("{\"namespace\":\"shop\",\"labels\":{}}");
    spec.setOriginalPayload("{\"version\":\"4\"}");
    RemediationRequest rr = new RemediationRequest();
    rr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    rr.setSpec(spec);
    return rr;
  }

  private JSONSchemaProps statusSchema() {
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("status");
  }

  private static Set<String> leafPaths(JSONSchemaProps schema) {
    Set<String> paths = new TreeSet<>();
    collect(schema, "", paths);
    return paths;
  }

  private static void collect(JSONSchemaProps schema, String path, Set<String> paths) {
    if (schema.getItems() != null) {
      collect(schema.getItems().getSchema(), path + "[]", paths);
    } else if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
      schema.getProperties().forEach((name, child) -> collect(child, path + "." + name, paths));
    } else {
      paths.add(path);
    }
  }

  private static Set<String> leafPaths(JsonNode node) {
    Set<String> paths = new TreeSet<>();
    collect(node, "", paths);
    return paths;
  }

  private static void collect(JsonNode node, String path, Set<String> paths) {
    if (node.isArray()) {
      node.forEach(element -> collect(element, path + "[]", paths));
    } else if (node.isObject()) {
      node.properties().forEach(e -> collect(e.getValue(), path + "." + e.getKey(), paths));
    } else {
      paths.add(path);
    }
  }

  private static final String FULL_STATUS =
      """
      {
        "deduplication": {
          "firstSeenAt": "2026-11-21T10:00:00Z",
          "lastSeenAt": "2026-11-21T10:07:30Z",
          "occurrenceCount": 4
        },
        "observedGeneration": 1,
        "overallPhase": "Completed",
        "message": "remediation verified",
        "startTime": "2026-11-21T10:00:01Z",
        "completedAt": "2026-11-21T10:20:00Z",
        "phaseProgress": {
          "processingStartTime": "2026-11-21T10:00:02Z",
          "analyzingStartTime": "2026-11-21T10:01:00Z",
          "executingStartTime": "2026-11-21T10:05:00Z",
          "verificationDeadline": "2026-11-21T10:35:30Z",
          "signalProcessingRef":
          {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "SignalProcessing", "name": "sp-rr-full",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000001",
           "resourceVersion": "101", "fieldPath": "status"},
          "remediationProcessingRef":
          {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "RemediationProcessing", "name": "rp-rr-full",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000002",
           "resourceVersion": "102", "fieldPath": "status"},
          "aiAnalysisRef":
          {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "AIAnalysis", "name": "ai-rr-full",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000003",
           "resourceVersion": "103", "fieldPath": "status"},
          "workflowExecutionRef":
          {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "WorkflowExecution", "name": "we-rr-full",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000004",
           "resourceVersion": "104", "fieldPath": "status"},
          "effectivenessAssessmentRef":
          {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "EffectivenessAssessment", "name": "ea-rr-full",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000005",
           "resourceVersion": "105", "fieldPath": "status"},
          "currentProcessingRef":
          {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "SignalProcessing", "name": "sp-rr-full",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000006",
           "resourceVersion": "106", "fieldPath": "status"}
        },
        "routingStatus": {
          "skipReason": "RecentlyRemediated",
          "skipMessage": "same workflow ran 2m ago",
          "blockingWorkflowExecution": "we-other",
          "duplicateOf": "rr-b157a3a9e42f-1c2b5576",
          "duplicateCount": 3,
          "duplicateRefs": ["rr-b157a3a9e42f-aaaaaaaa", "rr-b157a3a9e42f-bbbbbbbb"],
          "deduplicatedByWE": "we-original",
          "blockReason": "ResourceBusy",
          "blockMessage": "another workflow is running on deployment/web-frontend",
          "blockedUntil": "2026-11-21T11:00:00Z",
          "nextAllowedExecution": "2026-11-21T10:30:00Z",
          "consecutiveFailureCount": 2
        },
        "completionStatus": {
          "failurePhase": "WorkflowExecution",
          "failureReason": "pipeline run failed",
          "requiresManualReview": true,
          "outcome": "Remediated",
          "timeoutPhase": "Executing",
          "timeoutTime": "2026-11-21T10:15:00Z",
          "notificationRequestRefs": [
            {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "NotificationRequest", "name": "nr-1",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000008",
           "resourceVersion": "108", "fieldPath": "status"}
          ],
          "notificationStatus": "Sent",
          "approvalNotificationSent": false
        },
        "operatorAudit": {
          "lastModifiedBy": "system:serviceaccount:ops:alice",
          "lastModifiedAt": "2026-11-21T10:10:00Z",
          "preRemediationSpecHash": "sha256:0f1e2d3c"
        },
        "workflowSelection": {
          "selectedWorkflowRef": {
            "workflowId": "git-revert",
            "version": "v2",
            "executionBundle": "quay.io/kubernaut/git-revert:v2",
            "executionBundleDigest": "sha256:abcdef"
          },
          "executionRef":
          {"apiVersion": "kubernaut.ai/v1alpha1", "kind": "WorkflowExecution", "name": "we-rr-full",
           "namespace": "kubernaut-system", "uid": "00000000-0000-4000-8000-000000000007",
           "resourceVersion": "107", "fieldPath": "status"},
          "remediationTarget": {
            "kind": "Deployment",
            "name": "web-frontend",
            "namespace": "shop",
            "apiVersion": "apps/v1"
          },
          "targetDisplay": "Deployment/web-frontend",
          "confidence": "0.97",
          "workflowDisplayName": "GitRevertCommit:git-revert-v2",
          "signalTargetDisplay": "Pod/web-frontend-cdbdbc4f8-6kn6j"
        },
        "retentionExpiryTime": "2026-11-22T10:20:00Z",
        "conditions": [
          {
            "type": "NotificationDelivered",
            "status": "True",
            "reason": "DeliverySucceeded",
            "message": "notification sent",
            "lastTransitionTime": "2026-11-21T10:20:00Z",
            "observedGeneration": 1
          }
        ],
        "timeoutConfig": {
          "global": "1h0m0s",
          "processing": "5m0s",
          "analyzing": "10m0s",
          "executing": "30m0s"
        }
      }
      """;
}
