package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FingerprintTest {

  @ParameterizedTest(name = "[{0}] {1}:{2}:{3}")
  @CsvSource({
    "'', demo, Deployment, checkout, d8c661dcfb1d6372592144aa0f8dfb96216002eb435d6b14ef267f8e5bdb7b4b",
    "'', '', Node, worker-1, 5811a14c33e6ea55be7f43355c2cffd48201fcbf3fc51c48a3f58e375e6f7ccc",
    "prod-eu, demo, Deployment, checkout, fbee589ea1877ab52fdd9108d60150c8b070dc335ac0763b6def4de0b6f37a87",
    "'', default, Pod, bare-pod, a4e810400c2ee201fc23eed0fa0e3b1e55de9eda11c9f35bda20fca6ed99fb4d"
  })
  void matchesTheGoGatewayGoldenValues(
      String cluster, String namespace, String kind, String name, String expected) {
    assertThat(Fingerprint.of(cluster, ResourceRef.of(kind, namespace, name)).value())
        .isEqualTo(expected);
  }

  @Test
  void ignoresTheApiVersionOfTheOwner() {
    ResourceRef owner = ResourceRef.of("Deployment", "demo", "checkout");
    assertThat(Fingerprint.of("", owner.withApiVersion("apps/v1")))
        .isEqualTo(Fingerprint.of("", owner));
  }

  @Test
  void rejectsValuesThatAreNotSha256Hex() {
    assertThatThrownBy(() -> new Fingerprint("ABC")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fingerprint("g".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
