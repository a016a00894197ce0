package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.config.ConfigException;
import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.config.GatewayConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The gateway's Deployment in a render, and what its pods would see. */
record GatewayDeployment(RenderedManifests manifests, Deployment deployment) {

  static final String NAME = "gateway";
  static final String CONTAINER = "gateway";

  static GatewayDeployment in(String kustomization) {
    RenderedManifests manifests = RenderedManifests.of(kustomization);
    return new GatewayDeployment(manifests, manifests.one(Deployment.class, NAME));
  }

  String namespace() {
    return deployment.getMetadata().getNamespace();
  }

  PodSpec pod() {
    return deployment.getSpec().getTemplate().getSpec();
  }

  Map<String, String> podLabels() {
    return deployment.getSpec().getTemplate().getMetadata().getLabels();
  }

  Container container() {
    return pod().getContainers().stream()
        .filter(c -> c.getName().equals(CONTAINER))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + CONTAINER));
  }

  /** The downward-API field an environment variable is taken from. */
  Optional<String> fieldRef(String variable) {
    return container().getEnv().stream()
        .filter(e -> e.getName().equals(variable))
        .map(EnvVar::getValueFrom)
        .filter(source -> source != null && source.getFieldRef() != null)
        .map(source -> source.getFieldRef().getFieldPath())
        .findFirst();
  }

  /** The {@code --config=} file: its path in the container and its text from the ConfigMap. */
  record ConfigFile(Path path, String configMap, String yaml) {}

  ConfigFile configFile() {
    Path path =
        Path.of(
            container().getArgs().stream()
                .filter(a -> a.startsWith("--config="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no --config= argument"))
                .substring("--config=".length()));
    VolumeMount mount =
        container().getVolumeMounts().stream()
            .filter(m -> Path.of(m.getMountPath()).equals(path.getParent()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing is mounted at " + path.getParent()));
    String configMap =
        pod().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()) && v.getConfigMap() != null)
            .findFirst()
            .orElseThrow(() -> new AssertionError(mount.getName() + " is not a ConfigMap volume"))
            .getConfigMap()
            .getName();
    String yaml =
        manifests.one(ConfigMap.class, configMap).getData().get(path.getFileName().toString());
    assertThat(yaml).as("%s in ConfigMap %s", path.getFileName(), configMap).isNotNull();
    return new ConfigFile(path, configMap, yaml);
  }

  /**
   * Loads the mounted configuration file with the gateway's own loader, in the environment and with
   * the service-account namespace the pod would have.
   *
   * @throws AssertionError naming every problem the loader reports
   */
  GatewayConfig config() {
    Map<String, String> env = new HashMap<>();
    container().getEnv().stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    env.put("POD_NAME", NAME + "-7d9f8b6c5-x2k4p");
    env.put("POD_NAMESPACE", namespace());
    try {
      Path scratch = Files.createTempDirectory("gateway-config");
      Path file = Files.writeString(scratch.resolve("config.yaml"), configFile().yaml());
      Path serviceAccountNamespace = Files.writeString(scratch.resolve("namespace"), namespace());
      return new ConfigLoader(env, serviceAccountNamespace).load(Optional.of(file));
    } catch (ConfigException e) {
      throw new AssertionError(
          "the gateway rejects the config of " + manifests + ": " + e.problems(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
