package ai.kubernaut.gateway.embedded;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates the objects of an {@link EmbeddedClusterManifest} in order, filling in each owner
 * reference's uid from the owner created before it.
 */
final class EmbeddedClusterSeed {

  /**
   * Where each kind of the manifest is served. Stated here so that creating an object needs no
   * lookup of its kind (fabric8 would load its whole typed model for that, or ask the server).
   */
  private static final Map<String, ResourceDefinitionContext> KINDS =
      Map.of(
          "apiextensions.k8s.io/v1/CustomResourceDefinition",
          context("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions"),
          "v1/Namespace",
          context("", "Namespace", "namespaces"),
          "v1/Node",
          context("", "Node", "nodes"),
          "apps/v1/Deployment",
          namespaced("apps", "Deployment", "deployments"),
          "apps/v1/ReplicaSet",
          namespaced("apps", "ReplicaSet", "replicasets"),
          "v1/Pod",
          namespaced("", "Pod", "pods"),
          "v1/Service",
          namespaced("", "Service", "services"));

  private final KubernetesClient client;

  EmbeddedClusterSeed(KubernetesClient client) {
    this.client = client;
  }

  void seed(EmbeddedClusterManifest manifest) {
    create(manifest.remediationRequestCrd());
    Map<String, String> uids = new HashMap<>();
    for (GenericKubernetesResource object : manifest.objects()) {
      String namespace = object.getMetadata().getNamespace();
      for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
        String uid =
            uids.get(key(owner.getApiVersion(), owner.getKind(), namespace, owner.getName()));
        if (uid == null) {
          throw new IllegalStateException(
              "The manifest lists "
                  + object.getMetadata().getName()
                  + " before its owner "
                  + owner.getName());
        }
        owner.setUid(uid);
      }
      GenericKubernetesResource created = create(object);
      uids.put(
          key(object.getApiVersion(), object.getKind(), namespace, object.getMetadata().getName()),
          created.getMetadata().getUid());
    }
  }

  private GenericKubernetesResource create(GenericKubernetesResource object) {
    String kind = object.getApiVersion() + "/" + object.getKind();
    ResourceDefinitionContext context = KINDS.get(kind);
    if (context == null) {
      throw new IllegalStateException("The embedded seeding does not know the kind " + kind);
    }
    var resources = client.genericKubernetesResources(context);
    return context.isNamespaceScoped()
        ? resources.inNamespace(object.getMetadata().getNamespace()).resource(object).create()
        : resources.resource(object).create();
  }

  private static String key(String apiVersion, String kind, String namespace, String name) {
    return apiVersion + "/" + kind + "/" + namespace + "/" + name;
  }

  private static ResourceDefinitionContext context(String group, String kind, String plural) {
    return definition(group, kind, plural, false);
  }

  private static ResourceDefinitionContext namespaced(String group, String kind, String plural) {
    return definition(group, kind, plural, true);
  }

  private static ResourceDefinitionContext definition(
      String group, String kind, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }
}
