package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The gateway client's JSON binding: fabric8's, without its scan of every model class it ships.
 *
 * <p>By default fabric8 maps each {@code apiVersion}/{@code kind} to its typed model class by
 * loading and instantiating all of them (about 600 classes, a fifth of a second of CPU) the first
 * time a watch event or another untyped answer is read; such objects then arrive typed, and an
 * informer of generic resources converts each one back. Without the scan they arrive as generic
 * resources, which is what the owner and scope caches keep anyway. Only two kinds must still be
 * recognised by type: a {@link Status}, which a watch's {@code ERROR} event carries (fabric8
 * recognises 410 Gone, and so relists, only on a {@code Status}) and a delete may answer, and the
 * gateway's own {@link RemediationRequest}, whose watch events are then read straight into it.
 */
public final class GatewaySerialization {

  private GatewaySerialization() {}

  public static KubernetesSerialization create() {
    KubernetesSerialization serialization = new KubernetesSerialization(new ObjectMapper(), false);
    serialization.registerKubernetesResource(Status.class);
    serialization.registerKubernetesResource(RemediationRequest.class);
    return serialization;
  }
}
