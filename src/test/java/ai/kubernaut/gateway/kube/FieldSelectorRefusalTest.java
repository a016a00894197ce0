package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** Only the server's own refusal of the field turns the fingerprint field selector off. */
class FieldSelectorRefusalTest {

  @Test
  void theServersRefusalOfTheFingerprintFieldIsRecognised() {
    assertThat(
            RemediationRequestApi.refusesTheFingerprintField(
                refusal(400, "field label not supported: spec.signalFingerprint")))
        .isTrue();
  }

  @Test
  void anyOtherBadRequestIsNotTakenForIt() {
    assertThat(
            RemediationRequestApi.refusesTheFingerprintField(
                refusal(400, "the request header is too large")))
        .isFalse();
    assertThat(
            RemediationRequestApi.refusesTheFingerprintField(
                refusal(400, "field label not supported: spec.signalName")))
        .isFalse();
    assertThat(
            RemediationRequestApi.refusesTheFingerprintField(
                refusal(500, "field label not supported: spec.signalFingerprint")))
        .isFalse();
    assertThat(
            RemediationRequestApi.refusesTheFingerprintField(
                new KubernetesClientException("bad request", 400, null)))
        .isFalse();
  }

  private static KubernetesClientException refusal(int code, String message) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withReason("BadRequest").withMessage(message).build());
  }
}
