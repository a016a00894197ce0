package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.RemediationRequestSpec;
import ai.kubernaut.gateway.kube.crd.TargetResource;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.ResourceRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;

/**
 * RemediationRequests as another writer (the Go Gateway, ApiFrontend) creates them: the same
 * fingerprint and spec, but none of this gateway's labels or annotations and a random name.
 */
public final class ForeignIncidents {

  private ForeignIncidents() {}

  /** An incident about Deployment {@code namespace/deployment}, named at random. */
  public static RemediationRequest create(
      KubernetesClient client, String namespace, String deployment) {
    return create(
        client,
        "rr-foreign-" + UUID.randomUUID(),
        fingerprint(namespace, deployment),
        namespace,
        deployment);
  }

  public static RemediationRequest create(
      KubernetesClient client,
      String name,
      String fingerprint,
      String namespace,
      String deployment) {
    return create(
        client, MockCluster.CONTROLLER_NAMESPACE, name, fingerprint, namespace, deployment);
  }

  /** As above, in {@code controllerNamespace}. */
  public static RemediationRequest create(
      KubernetesClient client,
      String controllerNamespace,
      String name,
      String fingerprint,
      String namespace,
      String deployment) {
    RemediationRequest rr = new RemediationRequest();
    rr.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(controllerNamespace).build());
    RemediationRequestSpec spec = new RemediationRequestSpec();
    spec.setSignalFingerprint(fingerprint);
    spec.setSignalName("KubePodCrashLooping");
    spec.setSeverity("critical");
    spec.setSignalType("alert");
    spec.setSignalSource("prometheus");
    spec.setTargetType("kubernetes");
    TargetResource target = new TargetResource();
    target.setKind("Deployment");
    target.setName(deployment);
    target.setNamespace(namespace);
    spec.setTargetResource(target);
    spec.setFiringTime("2026-11-21T11:00:00Z");
    spec.setReceivedTime("2026-11-21T11:00:00Z");
    rr.setSpec(spec);
    return client.resource(rr).create();
  }

  /** The fingerprint the gateway gives Deployment {@code namespace/deployment} in this cluster. */
  public static String fingerprint(String namespace, String deployment) {
    return Fingerprint.of("", new ResourceRef("Deployment", deployment, namespace, "apps/v1"))
        .value();
  }
}
