package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

  @Test
  void hexIsTheStandardDigestInLowercase() {
    assertThat(Sha256.hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void partsAreSeparatedSoThatTheirBoundariesCount() {
    assertThat(Sha256.hexOfParts(bytes("ab"), bytes("c")))
        .isNotEqualTo(Sha256.hexOfParts(bytes("a"), bytes("bc")))
        .isEqualTo(Sha256.hex("ab\0c"));
    assertThat(Sha256.hexOfParts(bytes("abc"))).isEqualTo(Sha256.hex("abc"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
