package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesNamesTest {

  private static final Pattern RFC1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern RFC1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @ParameterizedTest
  @ValueSource(strings = {"a", "0", "api-7d9f8b6c5-x2k4p", "kube-system", "a-b-c", "9lives"})
  void labelsAreNamespaceAndObjectNames(String name) {
    assertThat(KubernetesNames.isNamespaceName(name)).isTrue();
    assertThat(KubernetesNames.isObjectName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"web.example.com", "a.b", "node-1.eu-west-1.compute.internal"})
  void dottedNamesAreObjectNamesButNotNamespaces(String name) {
    assertThat(KubernetesNames.isObjectName(name)).isTrue();
    assertThat(KubernetesNames.isNamespaceName(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-a",
        "a-",
        "A",
        "a_b",
        "a..b",
        ".a",
        "a.",
        "a.-b",
        "a b",
        "é",
        "{{ $labels }}"
      })
  void malformedNamesAreRefused(String name) {
    assertThat(KubernetesNames.isObjectName(name)).isFalse();
    assertThat(KubernetesNames.isNamespaceName(name)).isFalse();
  }

  @Test
  void lengthLimitsAreTheApiServers() {
    assertThat(KubernetesNames.isNamespaceName("a".repeat(63))).isTrue();
    assertThat(KubernetesNames.isNamespaceName("a".repeat(64))).isFalse();
    assertThat(KubernetesNames.isObjectName("a".repeat(253))).isTrue();
    assertThat(KubernetesNames.isObjectName("a".repeat(254))).isFalse();
    assertThat(KubernetesNames.isObjectName(null)).isFalse();
    assertThat(KubernetesNames.isNamespaceName(null)).isFalse();
  }

  @Test
  void agreesWithTheRfc1123ExpressionsOnRandomStrings() {
    Random random = new Random(1123);
    String alphabet = "ab09-.Z_";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder name = new StringBuilder();
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String value = name.toString();
      assertThat(KubernetesNames.isObjectName(value))
          .as(value)
          .isEqualTo(RFC1123_SUBDOMAIN.matcher(value).matches());
      assertThat(KubernetesNames.isNamespaceName(value))
          .as(value)
          .isEqualTo(RFC1123_LABEL.matcher(value).matches());
    }
  }
}
