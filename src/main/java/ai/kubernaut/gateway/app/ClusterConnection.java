package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.embedded.EmbeddedCluster;
import ai.kubernaut.gateway.kube.http.BlockingHttpClientFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes API the gateway talks to: the in-cluster service account, else a kubeconfig file
 * ({@code --kubeconfig}, {@code KUBECONFIG}, {@code ~/.kube/config}), else an embedded in-memory
 * API.
 */
final class ClusterConnection implements AutoCloseable {

  static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final KubernetesClient client;
  private final String description;
  private final Optional<EmbeddedCluster> embedded;

  private ClusterConnection(
      KubernetesClient client, String description, Optional<EmbeddedCluster> embedded) {
    this.client = client;
    this.description = description;
    this.embedded = embedded;
  }

  /** Where the configuration would come from, or empty when embedded mode applies. */
  static Optional<String> configuredSource(
      boolean forceEmbedded, Optional<Path> kubeconfigFlag, Map<String, String> env, Path home) {
    if (forceEmbedded) {
      return Optional.empty();
    }
    if (env.containsKey("KUBERNETES_SERVICE_HOST") && Files.isReadable(SERVICE_ACCOUNT_TOKEN)) {
      return Optional.of("in-cluster");
    }
    if (kubeconfigFlag.isPresent()) {
      return Optional.of(kubeconfigFlag.get().toString());
    }
    String fromEnv = env.getOrDefault("KUBECONFIG", "");
    if (!fromEnv.isBlank()) {
      return Optional.of(fromEnv.split(java.io.File.pathSeparator)[0]);
    }
    Path defaultFile = home.resolve(".kube").resolve("config");
    return Files.isReadable(defaultFile) ? Optional.of(defaultFile.toString()) : Optional.empty();
  }

  static ClusterConnection connect(
      String source, Duration requestTimeout, Duration connectTimeout) {
    Config base;
    if (source.equals("in-cluster")) {
      base = Config.autoConfigure(null);
    } else {
      Path file = Path.of(source);
      if (!Files.isReadable(file)) {
        throw new UncheckedIOException(new IOException("cannot read kubeconfig " + source));
      }
      base = Config.fromKubeconfig(file.toFile());
    }
    Config config =
        new ConfigBuilder(BlockingHttpClientFactory.adapt(base))
            .withRequestRetryBackoffLimit(0)
            .withRequestTimeout((int) requestTimeout.toMillis())
            .withConnectionTimeout((int) connectTimeout.toMillis())
            .build();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new BlockingHttpClientFactory())
            .build();
    return new ClusterConnection(
        client, source + " (" + config.getMasterUrl() + ")", Optional.empty());
  }

  static ClusterConnection embedded(EmbeddedCluster cluster) {
    return new ClusterConnection(
        cluster.client(), "embedded " + cluster.apiUrl(), Optional.of(cluster));
  }

  KubernetesClient client() {
    return client;
  }

  String description() {
    return description;
  }

  Optional<EmbeddedCluster> embeddedCluster() {
    return embedded;
  }

  @Override
  public void close() {
    if (embedded.isPresent()) {
      embedded.get().close();
    } else {
      client.close();
    }
  }
}
