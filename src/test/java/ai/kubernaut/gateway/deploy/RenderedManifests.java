package ai.kubernaut.gateway.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The objects {@code kubectl kustomize} renders for one kustomization, loaded with fabric8. */
final class RenderedManifests {

  static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Map<String, RenderedManifests> RENDERED = new ConcurrentHashMap<>();

  private final String directory;
  private final List<HasMetadata> objects;

  private RenderedManifests(String directory, List<HasMetadata> objects) {
    this.directory = directory;
    this.objects = List.copyOf(objects);
  }

  /** kubectl on the PATH, if any. */
  static Optional<Path> kubectl() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Renders {@code directory} (relative to the project) once per test run. */
  static RenderedManifests of(String directory) {
    return RENDERED.computeIfAbsent(directory, RenderedManifests::render);
  }

  private static RenderedManifests render(String directory) {
    try {
      Process kubectl =
          new ProcessBuilder(
                  kubectl().orElseThrow().toString(),
                  "kustomize",
                  PROJECT.resolve(directory).toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String yaml;
      try (InputStream out = kubectl.getInputStream()) {
        yaml = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + directory + " failed");
      }
      return new RenderedManifests(directory, load(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every object of a multi-document YAML stream. */
  static List<HasMetadata> load(String yaml) {
    Object loaded = SERIALIZATION.unmarshal(yaml);
    List<?> items = loaded instanceof List<?> list ? list : List.of(loaded);
    return items.stream().map(KubernetesResource.class::cast).map(HasMetadata.class::cast).toList();
  }

  String directory() {
    return directory;
  }

  List<HasMetadata> objects() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> named = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
    if (named.size() != 1) {
      throw new AssertionError(
          directory + " renders " + named.size() + " " + type.getSimpleName() + " " + name);
    }
    return named.getFirst();
  }

  /** Objects of kinds fabric8 has no model class for (ServiceMonitor, PrometheusRule). */
  List<GenericKubernetesResource> generic(String kind) {
    return all(GenericKubernetesResource.class).stream()
        .filter(o -> o.getKind().equals(kind))
        .toList();
  }

  @Override
  public String toString() {
    return directory;
  }
}
