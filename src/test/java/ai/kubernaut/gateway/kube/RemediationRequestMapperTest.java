package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemediationRequestMapperTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00.789Z");
  private final RemediationRequestMapper mapper = new RemediationRequestMapper(new ObjectMapper());

  @Test
  void labelValuesAreCutTo63BytesWithoutSplittingACharacterButProviderDataKeepsThemWhole()
      throws Exception {
    String longValue = "é".repeat(40);
    RemediationRequest rr =
        mapper.newRequest(
            signal(Map.of("alertname", "X", "description", longValue)), 1, "kubernaut-system", NOW);

    String cut = rr.getSpec().getSignalLabels().get("description");
    assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(62);
    assertThat(longValue).startsWith(cut);
    assertThat(
            new ObjectMapper()
                .readTree(rr.getSpec().getProviderData())
                .path("labels")
                .path("description")
                .asText())
        .isEqualTo(longValue);
  }

  @Test
  void nameCarriesTheFingerprintPrefixAndTimestampsAreRfc3339Seconds() {
    RemediationRequest rr =
        mapper.newRequest(signal(Map.of("alertname", "X")), 3, "kubernaut-system", NOW);

    assertThat(rr.getMetadata().getName()).matches("rr-d8c661dcfb1d-[0-9a-f]{8}");
    assertThat(rr.getMetadata().getLabels()).containsEntry("kubernaut.ai/incident-sequence", "3");
    assertThat(rr.getMetadata().getNamespace()).isEqualTo("kubernaut-system");
    assertThat(rr.getMetadata().getAnnotations())
        .containsEntry("kubernaut.ai/created-at", "2026-11-21T12:00:00Z");
    assertThat(rr.getSpec().getReceivedTime()).isEqualTo("2026-11-21T12:00:00Z");
    assertThat(rr.getSpec().getClusterID()).isNull();
  }

  @Test
  void theNameIsDerivedFromFingerprintAndSequenceOnly() {
    RemediationRequest first = mapper.newRequest(signal(Map.of("alertname", "X")), 1, "ns", NOW);
    RemediationRequest again =
        mapper.newRequest(signal(Map.of("alertname", "Y")), 1, "ns", NOW.plusSeconds(9));
    RemediationRequest second = mapper.newRequest(signal(Map.of("alertname", "X")), 2, "ns", NOW);

    assertThat(again.getMetadata().getName()).isEqualTo(first.getMetadata().getName());
    assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
  }

  @Test
  void occurrencePatchTouchesOnlyTheDeduplicationRecordAndCarriesTheVersionAndAPreciseStamp()
      throws Exception {
    String patch =
        mapper.occurrencePatch(
            "42", new ai.kubernaut.gateway.signal.OccurrenceCount(NOW, NOW.plusSeconds(60), 3));

    var tree = new ObjectMapper().readTree(patch);
    assertThat(tree.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
    assertThat(tree.path("status").size()).isEqualTo(1);
    assertThat(tree.path("status").path("deduplication").path("occurrenceCount").asInt())
        .isEqualTo(3);
    assertThat(tree.path("status").path("deduplication").path("lastSeenAt").asText())
        .isEqualTo("2026-11-21T12:01:00.789Z");
    assertThat(tree.path("status").path("deduplication").path("firstSeenAt").asText())
        .isEqualTo("2026-11-21T12:00:00Z");
  }

  @Test
  void aNegativeCountWrittenByAnotherWriterReadsAsNoneCounted() {
    RemediationRequest rr = mapper.newRequest(signal(Map.of("alertname", "X")), 1, "ns", NOW);
    rr.getMetadata().setResourceVersion("7");
    rr.getMetadata().setCreationTimestamp("2026-11-21T12:00:00Z");
    var status = new ai.kubernaut.gateway.kube.crd.RemediationRequestStatus();
    var dedup = new ai.kubernaut.gateway.kube.crd.DeduplicationStatus();
    dedup.setOccurrenceCount(-5);
    status.setDeduplication(dedup);
    rr.setStatus(status);

    assertThat(mapper.toState(rr).occurrenceCount()).isZero();
  }

  @Test
  void everyNewRequestCarriesItsOwnCreationId() {
    RemediationRequest first = mapper.newRequest(signal(Map.of("alertname", "X")), 1, "ns", NOW);
    RemediationRequest again = mapper.newRequest(signal(Map.of("alertname", "X")), 1, "ns", NOW);

    assertThat(RemediationRequestMapper.creationId(first))
        .isNotBlank()
        .isNotEqualTo(RemediationRequestMapper.creationId(again));
  }

  private static Signal signal(Map<String, String> labels) {
    InboundSignal inbound =
        new InboundSignal(
            "prometheus",
            "X",
            "critical",
            "",
            List.of(ResourceRef.of("Pod", "demo", "p")),
            labels,
            Map.of(),
            NOW,
            NOW,
            "{}");
    return Signal.resolved(inbound, ResourceRef.of("Deployment", "demo", "checkout"));
  }
}
