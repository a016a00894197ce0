package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class GatewaySerializationTest {

  private final KubernetesSerialization serialization = GatewaySerialization.create();

  @Test
  void aWatchErrorCarriesAStatusSoThat410GoneIsRecognised() {
    WatchEvent event =
        serialization.unmarshal(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"metadata\":{},\"status\":\"Failure\",\"reason\":\"Expired\","
                + "\"message\":\"too old resource version: 1 (5)\",\"code\":410}}",
            WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(Status.class);
    assertThat(((Status) event.getObject()).getCode()).isEqualTo(410);
  }

  @Test
  void aDeletesStatusAnswerIsAStatus() {
    KubernetesResource answer =
        serialization.unmarshal(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\","
                + "\"details\":{\"name\":\"claim\",\"kind\":\"leases\"}}",
            KubernetesResource.class);

    assertThat(answer).isInstanceOf(Status.class);
    assertThat(((Status) answer).getDetails().getName()).isEqualTo("claim");
  }

  @Test
  void anOwnersWatchEventArrivesGenericWithItsOwnerReferences() {
    WatchEvent event =
        serialization.unmarshal(
            "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"name\":\"p\",\"namespace\":\"demo\",\"resourceVersion\":\"7\","
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
                + "\"name\":\"rs\",\"uid\":\"u1\",\"controller\":true}]},"
                + "\"spec\":{\"nodeName\":\"n1\"}}}",
            WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(GenericKubernetesResource.class);
    GenericKubernetesResource pod = (GenericKubernetesResource) event.getObject();
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getKind()).isEqualTo("ReplicaSet");
              assertThat(owner.getUid()).isEqualTo("u1");
              assertThat(owner.getController()).isTrue();
            });
    assertThat(pod.<String>get("spec", "nodeName")).isEqualTo("n1");
  }

  @Test
  void aRemediationRequestsWatchEventArrivesTyped() {
    WatchEvent event =
        serialization.unmarshal(
            "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"RemediationRequest\","
                + "\"apiVersion\":\"kubernaut.ai/v1alpha1\","
                + "\"metadata\":{\"name\":\"rr-1\",\"namespace\":\"kubernaut-system\"},"
                + "\"spec\":{\"signalName\":\"KubePodCrashLooping\"}}}",
            WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(RemediationRequest.class);
    assertThat(((RemediationRequest) event.getObject()).getSpec().getSignalName())
        .isEqualTo("KubePodCrashLooping");
  }

  @Test
  void noOtherKindIsMappedToTheTypedModel() {
    assertThat(serialization.getRegisteredKubernetesResource("v1", "Pod")).isNull();
    assertThat(serialization.getRegisteredKubernetesResource("apps/v1", "Deployment")).isNull();
  }
}
