package ai.kubernaut.gateway.embedded;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Creates the objects of an {@link EmbeddedClusterManifest}, wiring owner references to real uids.
 */
final class EmbeddedClusterSeed {

  private final KubernetesClient client;

  EmbeddedClusterSeed(KubernetesClient client) {
    this.client = client;
  }

  void seed(EmbeddedClusterManifest manifest) {
    client.resource(manifest.remediationRequestCrd()).create();
    for (Namespace namespace : manifest.namespaces()) {
      client.resource(namespace).create();
    }
    client.resource(manifest.node()).create();
    Deployment deployment = client.resource(manifest.deployment()).create();
    ReplicaSet replicaSet =
        client
            .resource(
                new ReplicaSetBuilder(manifest.replicaSet())
                    .editMetadata()
                    .withOwnerReferences(controllerReference(deployment))
                    .endMetadata()
                    .build())
            .create();
    client
        .resource(
            new PodBuilder(manifest.pod())
                .editMetadata()
                .withOwnerReferences(controllerReference(replicaSet))
                .endMetadata()
                .build())
        .create();
    client.resource(manifest.service()).create();
  }

  private static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
