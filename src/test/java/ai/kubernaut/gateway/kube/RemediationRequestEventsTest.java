package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.kube.crd.CompletionStatus;
import ai.kubernaut.gateway.kube.crd.DeduplicationStatus;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.RemediationRequestStatus;
import ai.kubernaut.gateway.kube.crd.RoutingStatus;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemediationRequestEventsTest {

  private static final Instant NOW = Instant.parse("2026-12-06T17:00:00Z");
  private static final KubernetesSerialization SERIALIZATION = GatewaySerialization.create();
  private final RemediationRequestMapper mapper = new RemediationRequestMapper(new ObjectMapper());

  @Test
  void keepsEverythingDeduplicationReadsAsTheWholeObjectWouldGiveIt() throws IOException {
    RemediationRequest whole = endedIncident();
    String line = "{\"type\":\"MODIFIED\",\"object\":" + SERIALIZATION.asJson(whole) + "}";

    RemediationRequestEvents.Event event = read(line);

    assertThat(event.type()).isEqualTo("MODIFIED");
    assertThat(mapper.toState(event.object())).isEqualTo(mapper.toState(whole));
    assertThat(event.object().getSpec().getOriginalPayload()).isNull();
    assertThat(event.object().getMetadata().getManagedFields()).isEmpty();
    assertThat(event.resourceVersion()).isEqualTo("4711");
  }

  @Test
  void readsTheObjectWhenItComesBeforeTheType() throws IOException {
    RemediationRequest whole = endedIncident();

    RemediationRequestEvents.Event event =
        read("{\"object\":" + SERIALIZATION.asJson(whole) + ",\"type\":\"DELETED\"}");

    assertThat(event.type()).isEqualTo("DELETED");
    assertThat(mapper.toState(event.object())).isEqualTo(mapper.toState(whole));
  }

  @Test
  void anErrorEventCarriesTheStatusCodeAndMessage() throws IOException {
    RemediationRequestEvents.Event event =
        read(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version:"
                + " 12 (340)\",\"reason\":\"Expired\",\"code\":410}}");

    assertThat(event.type()).isEqualTo("ERROR");
    assertThat(event.code()).isEqualTo(410);
    assertThat(event.message()).isEqualTo("too old resource version: 12 (340)");
  }

  @Test
  void aBookmarkCarriesOnlyItsVersion() throws IOException {
    RemediationRequestEvents.Event event =
        read(
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"RemediationRequest\",\"apiVersion\":"
                + "\"kubernaut.ai/v1alpha1\",\"metadata\":{\"resourceVersion\":\"998\","
                + "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}");

    assertThat(event.type()).isEqualTo("BOOKMARK");
    assertThat(event.resourceVersion()).isEqualTo("998");
  }

  @Test
  void fieldsOfAnotherTypeThanTheSchemaSaysAreReadAsAbsent() throws IOException {
    RemediationRequestEvents.Event event =
        read(
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"rr-1\",\"namespace\":\"ns\","
                + "\"resourceVersion\":\"5\",\"labels\":{\"kubernaut.ai/incident-sequence\":7}},"
                + "\"spec\":{\"signalFingerprint\":[\"x\"]},\"status\":{\"overallPhase\":3,"
                + "\"deduplication\":{\"occurrenceCount\":\"many\",\"lastSeenAt\":{}},"
                + "\"completionStatus\":\"done\"}}}");

    RemediationRequest rr = event.object();
    assertThat(rr.getMetadata().getName()).isEqualTo("rr-1");
    assertThat(rr.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(rr.getSpec().getSignalFingerprint()).isNull();
    assertThat(rr.getStatus().getOverallPhase()).isNull();
    assertThat(rr.getStatus().getDeduplication().getOccurrenceCount()).isNull();
    assertThat(rr.getStatus().getDeduplication().getLastSeenAt()).isNull();
    assertThat(rr.getStatus().getCompletionStatus()).isNull();
  }

  @Test
  void aCountBeyondAnIntIsHeldAtTheLargestInt() throws IOException {
    RemediationRequestEvents.Event event =
        read(
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"rr-1\"},"
                + "\"status\":{\"deduplication\":{\"occurrenceCount\":99999999999}}}}");

    assertThat(event.object().getStatus().getDeduplication().getOccurrenceCount())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aLineThatIsNoCompleteEventIsRefused() {
    for (String bad :
        List.of(
            "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"rr-1\"}",
            "{\"type\":\"ADDED\"}",
            "{\"object\":{}}",
            "[1,2]",
            "{\"type\":\"ADDED\",\"object\":{}} {\"type\":\"ADDED\",\"object\":{}}",
            "not json")) {
      assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(IOException.class);
    }
  }

  private static RemediationRequestEvents.Event read(String line) throws IOException {
    byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return RemediationRequestEvents.read(bytes, 2, bytes.length - 4);
  }

  /** A whole incident as the server holds it: a payload to skip, managed fields, every status. */
  private RemediationRequest endedIncident() {
    String payload = "{\"alerts\":[{\"labels\":{\"msg\":\"a \\\"quoted\\\" }{ line\\nnext ü\"}}]}";
    InboundSignal inbound =
        new InboundSignal(
            "prometheus",
            "KubePodCrashLooping",
            "critical",
            "",
            List.of(ResourceRef.of("Pod", "shop", "checkout-1")),
            Map.of("alertname", "KubePodCrashLooping", "note", "{\"nested\": [1, 2]}"),
            Map.of("summary", "x".repeat(3_000)),
            NOW,
            NOW,
            payload);
    Signal signal = Signal.resolved(inbound, ResourceRef.of("Deployment", "shop", "checkout"));
    RemediationRequest rr = mapper.newRequest(signal, 3, "kubernaut-system", NOW);
    rr.getMetadata().setResourceVersion("4711");
    rr.getMetadata().setCreationTimestamp("2026-12-06T16:59:58Z");
    rr.getMetadata().setUid("0b6c1d7e-0000-4000-8000-000000000001");
    ManagedFieldsEntry managed = new ManagedFieldsEntry();
    managed.setManager("kubernaut-gateway");
    managed.setOperation("Update");
    managed.setFieldsType("FieldsV1");
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty("f:spec", Map.of("f:originalPayload", Map.of()));
    managed.setFieldsV1(fields);
    rr.getMetadata().setManagedFields(List.of(managed));
    RemediationRequestStatus status = new RemediationRequestStatus();
    status.setOverallPhase("Completed");
    CompletionStatus completion = new CompletionStatus();
    completion.setOutcome("Remediated");
    completion.setFailureReason("none");
    status.setCompletionStatus(completion);
    RoutingStatus routing = new RoutingStatus();
    routing.setNextAllowedExecution("2026-12-06T18:00:00Z");
    routing.setSkipReason("RecentlyRemediated");
    status.setRoutingStatus(routing);
    DeduplicationStatus dedup = new DeduplicationStatus();
    dedup.setFirstSeenAt("2026-12-06T16:59:58Z");
    dedup.setLastSeenAt("2026-12-06T17:00:00.123456Z");
    dedup.setOccurrenceCount(42);
    status.setDeduplication(dedup);
    rr.setStatus(status);
    return rr;
  }
}
