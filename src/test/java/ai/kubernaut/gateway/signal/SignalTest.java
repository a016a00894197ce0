package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalTest {

  private static final ResourceRef POD = ResourceRef.of("Pod", "shop", "checkout-7d9f8b6c5-x2k4p");
  private static final ResourceRef OWNER =
      new ResourceRef("Deployment", "checkout", "shop", "apps/v1");

  @Test
  void aResolvedSignalIsFingerprintedByItsWorkloadWhateverClusterLabelItCarries() {
    Signal labelled = Signal.resolved(inbound("prod-eu"), OWNER);
    Signal unlabelled = Signal.resolved(inbound(""), OWNER);

    assertThat(labelled.fingerprint()).isEqualTo(unlabelled.fingerprint());
    assertThat(labelled.fingerprint()).isEqualTo(Fingerprint.of("", OWNER));
  }

  @Test
  void aForeignSignalKeepsItsClusterInItsFingerprintAndItsTargetAsNamed() {
    Signal foreign = Signal.foreign(inbound("prod-us"));

    assertThat(foreign.target()).isEqualTo(POD);
    assertThat(foreign.fingerprint()).isEqualTo(Fingerprint.of("prod-us", POD));
  }

  private static InboundSignal inbound(String cluster) {
    Instant now = Instant.parse("2026-12-05T12:00:00Z");
    return new InboundSignal(
        "prometheus",
        "KubePodCrashLooping",
        "critical",
        cluster,
        List.of(POD),
        Map.of(),
        Map.of(),
        now,
        now,
        "{}");
  }
}
