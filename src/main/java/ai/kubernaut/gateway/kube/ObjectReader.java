package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads objects straight from the API server, with retries of transient failures. */
final class ObjectReader {

  private final KubernetesClient client;
  private final ApiCalls calls;

  ObjectReader(KubernetesClient client, ApiCalls calls) {
    this.client = Objects.requireNonNull(client, "client");
    this.calls = Objects.requireNonNull(calls, "calls");
  }

  /**
   * The object, or empty when it does not exist (a 404 for the object or for its whole resource
   * type, as when a CRD was removed).
   *
   * @throws NotReadableException when the gateway may not read this kind (403), never retried
   */
  Optional<GenericKubernetesResource> object(ResourceKind kind, String namespace, String name) {
    return calls.run(
        "GET " + kind.plural() + " " + qualified(namespace, name),
        () -> {
          try {
            var resources = client.genericKubernetesResources(MetadataCaches.context(kind));
            GenericKubernetesResource object =
                kind.namespaced()
                    ? resources.inNamespace(namespace).withName(name).get()
                    : resources.withName(name).get();
            return Optional.ofNullable(object);
          } catch (KubernetesClientException e) {
            if (ApiFailures.isNotFound(e)) {
              return Optional.<GenericKubernetesResource>empty();
            }
            if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
              throw new NotReadableException(kind, namespace);
            }
            throw e;
          }
        });
  }

  /** The name of the first running pod (by name) matching {@code selector}. */
  Optional<String> firstPodMatching(String namespace, Map<String, String> selector) {
    List<Pod> pods =
        calls.run(
            "LIST pods in " + namespace,
            () -> client.pods().inNamespace(namespace).withLabels(selector).list().getItems());
    return pods.stream()
        .filter(
            p ->
                PodStates.isRunning(
                    p.getStatus() == null ? null : p.getStatus().getPhase(),
                    p.getMetadata().getDeletionTimestamp()))
        .map(p -> p.getMetadata().getName())
        .min(Comparator.naturalOrder());
  }

  private static String qualified(String namespace, String name) {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
