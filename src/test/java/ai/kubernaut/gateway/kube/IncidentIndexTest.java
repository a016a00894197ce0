package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentIndexTest {

  private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");
  private final RemediationRequestMapper mapper = new RemediationRequestMapper(new ObjectMapper());
  private final OwnWrites ownWrites =
      new OwnWrites(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
  private final IncidentIndex index = new IncidentIndex(mapper, ownWrites);

  @Test
  void findsCachedIncidentsByFingerprintWithoutKeepingTheirPayload() {
    RemediationRequest first = stored(request("checkout", 1, "x".repeat(20_000)), "7");
    RemediationRequest second = stored(request("checkout", 2, "y"), "8");
    stored(request("billing", 1, "z"), "9");

    String fingerprint = first.getSpec().getSignalFingerprint();
    assertThat(index.find(fingerprint).keySet())
        .containsExactlyInAnyOrder(first.getMetadata().getName(), second.getMetadata().getName());
    IncidentState state = index.find(fingerprint).get(first.getMetadata().getName());
    assertThat(state.resourceVersion()).isEqualTo("7");
    assertThat(state.sequence()).isEqualTo(1);
  }

  @Test
  void anUpdateReplacesTheCachedVersion() {
    RemediationRequest rr = stored(request("checkout", 1, "{}"), "7");
    rr.getMetadata().setResourceVersion("12");

    index.put(rr);

    assertThat(index.find(rr.getSpec().getSignalFingerprint()).values())
        .extracting(IncidentState::resourceVersion)
        .containsExactly("12");
    assertThat(index.size()).isOne();
  }

  @Test
  void aCompleteListReplacesTheCacheAndDropsWhatWasDeletedMeanwhile() {
    RemediationRequest kept = stored(request("checkout", 1, "{}"), "7");
    RemediationRequest deleted = stored(request("billing", 1, "{}"), "8");
    ownWrites.wrote(withVersion(mapper.toState(deleted), "9"));
    kept.getMetadata().setResourceVersion("10");
    RemediationRequest added = request("payments", 1, "{}");
    added.getMetadata().setResourceVersion("11");

    index.retainOnly(Set.of(index.put(kept), index.put(added)));

    assertThat(index.size()).isEqualTo(2);
    assertThat(index.get("kubernaut-system", kept.getMetadata().getName()).resourceVersion())
        .isEqualTo("10");
    assertThat(index.get("kubernaut-system", added.getMetadata().getName())).isNotNull();
    assertThat(index.find(deleted.getSpec().getSignalFingerprint())).isEmpty();
    assertThat(ownWrites.size()).as("the deleted incident's own write is forgotten").isZero();
  }

  @Test
  void removalEmptiesTheFingerprintEntryAndForgetsTheOwnWrite() {
    RemediationRequest rr = stored(request("checkout", 1, "{}"), "7");
    IncidentState written = mapper.toState(rr);
    ownWrites.wrote(withVersion(written, "8"));

    index.remove(rr);

    assertThat(index.find(rr.getSpec().getSignalFingerprint())).isEmpty();
    assertThat(index.size()).isZero();
    assertThat(ownWrites.size()).isZero();
  }

  @Test
  void aCachedVersionAsNewAsAnOwnWriteClearsIt() {
    RemediationRequest rr = request("checkout", 1, "{}");
    rr.getMetadata().setResourceVersion("7");
    ownWrites.wrote(mapper.toState(rr));

    index.put(rr);

    assertThat(ownWrites.size()).isZero();
  }

  @Test
  void sharesTheFingerprintStringAmongIncidentsOfOneWorkload() {
    RemediationRequest first = stored(request("checkout", 1, "{}"), "7");
    RemediationRequest second = stored(request("checkout", 2, "{}"), "8");

    Map<String, IncidentState> found = index.find(first.getSpec().getSignalFingerprint());

    assertThat(found.get(second.getMetadata().getName()).fingerprint())
        .isSameAs(found.get(first.getMetadata().getName()).fingerprint());
  }

  private RemediationRequest stored(RemediationRequest rr, String resourceVersion) {
    rr.getMetadata().setResourceVersion(resourceVersion);
    index.put(rr);
    return rr;
  }

  private static IncidentState withVersion(IncidentState s, String resourceVersion) {
    return new IncidentState(
        s.name(),
        s.namespace(),
        resourceVersion,
        s.fingerprint(),
        s.sequence(),
        s.createdAt(),
        s.phase(),
        s.outcome(),
        s.nextAllowedExecution(),
        s.occurrences());
  }

  private RemediationRequest request(String deployment, int sequence, String payload) {
    Signal signal = SampleSignals.about("HighLatency", "demo", deployment, NOW, payload);
    RemediationRequest rr = mapper.newRequest(signal, sequence, "kubernaut-system", NOW);
    rr.getMetadata().setCreationTimestamp("2026-11-22T01:00:00Z");
    return rr;
  }
}
