package ai.kubernaut.gateway.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects embedded mode starts with: the RemediationRequest CRD, then the controller's
 * namespace and the demo workload ({@code META-INF/kubernaut/embedded-demo.json}) in the order they
 * are created. Owner references name their owner without a uid; the seeding fills it in once the
 * owner exists.
 *
 * <p>Everything is read as generic resources: the typed model's builders and deserializers would
 * load about a thousand classes, a large part of the embedded start.
 */
record EmbeddedClusterManifest(
    GenericKubernetesResource remediationRequestCrd, List<GenericKubernetesResource> objects) {

  private static final String CRD_RESOURCE =
      "/META-INF/kubernaut/remediationrequests.kubernaut.ai.yaml";
  private static final String DEMO_RESOURCE = "/META-INF/kubernaut/embedded-demo.json";

  static EmbeddedClusterManifest build(String controllerNamespace) {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    objects.add(namespace(controllerNamespace));
    objects.addAll(read(DEMO_RESOURCE, GenericKubernetesResourceList.class).getItems());
    return new EmbeddedClusterManifest(readCrd(), List.copyOf(objects));
  }

  /**
   * Read with the YAML parser the configuration file already loaded, not with the second one
   * fabric8 brings for YAML (another hundred classes).
   */
  private static GenericKubernetesResource readCrd() {
    try (InputStream in = open(CRD_RESOURCE)) {
      String json = new ObjectMapper(new YAMLFactory()).readTree(in).toString();
      return Serialization.unmarshal(json, GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + CRD_RESOURCE, e);
    }
  }

  private static GenericKubernetesResource namespace(String name) {
    GenericKubernetesResource namespace = new GenericKubernetesResource();
    namespace.setApiVersion("v1");
    namespace.setKind("Namespace");
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(name);
    namespace.setMetadata(metadata);
    return namespace;
  }

  private static <T> T read(String resource, Class<T> type) {
    try (InputStream in = open(resource)) {
      return Serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = EmbeddedClusterManifest.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("Manifest not found on the classpath: " + resource);
    }
    return in;
  }
}
