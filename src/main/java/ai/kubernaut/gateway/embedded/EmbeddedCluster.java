package ai.kubernaut.gateway.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, in-memory Kubernetes API server with demo objects for the gateway's embedded mode.
 */
public final class EmbeddedCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedCluster.class);

  /** Held strongly: JUL forgets the level of a logger nobody references. */
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  private static final String HOST = "127.0.0.1";

  static {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Thread journalDrain;
  private final String apiUrl;
  private final Path kubeconfig;

  private EmbeddedCluster(
      KubernetesMockServer server,
      KubernetesClient client,
      Thread journalDrain,
      String apiUrl,
      Path kubeconfig) {
    this.server = server;
    this.client = client;
    this.journalDrain = journalDrain;
    this.apiUrl = apiUrl;
    this.kubeconfig = kubeconfig;
  }

  public static EmbeddedCluster start(int port, String controllerNamespace, Path kubeconfigFile) {
    long started = System.nanoTime();
    // building the manifest loads a few thousand model classes; overlapping it with the server
    // boot saves about a tenth of a cold start
    CompletableFuture<EmbeddedClusterManifest> manifest =
        CompletableFuture.supplyAsync(
            () -> EmbeddedClusterManifest.build(controllerNamespace),
            task -> Thread.ofVirtual().name("embedded-api-manifest").start(task));
    KubernetesMockServer server = newServer();
    Thread journalDrain = null;
    KubernetesClient client = null;
    try {
      listen(server, port);
      journalDrain = startJournalDrain(server);
      String apiUrl = "http://" + HOST + ":" + server.getPort();
      client = newClient(apiUrl, controllerNamespace);
      new EmbeddedClusterSeed(client).seed(join(manifest));
      Path kubeconfig = kubeconfigFile.toAbsolutePath();
      EmbeddedKubeconfig.write(kubeconfig, apiUrl, controllerNamespace);
      EmbeddedCluster cluster =
          new EmbeddedCluster(server, client, journalDrain, apiUrl, kubeconfig);
      log.info(
          "Embedded Kubernetes API listening on {} (started in {} ms)",
          apiUrl,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return cluster;
    } catch (RuntimeException e) {
      try {
        stop(server, client, journalDrain);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public String apiUrl() {
    return apiUrl;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public String kubectlHint() {
    return "kubectl --kubeconfig " + kubeconfig + " get remediationrequests -A";
  }

  @Override
  public void close() {
    stop(server, client, journalDrain);
    log.info("Embedded Kubernetes API on {} stopped", apiUrl);
  }

  private static void stop(KubernetesMockServer server, KubernetesClient client, Thread drain) {
    if (client != null) {
      client.close();
    }
    if (drain != null) {
      drain.interrupt();
    }
    server.destroy();
  }

  private static KubernetesMockServer newServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    return new KubernetesMockServer(
        new Context(fabric8JsonMapper()),
        new MockWebServer(),
        responses,
        new DiscoveryDispatcher(new KubernetesMixedDispatcher(responses), new DiscoveryDocuments()),
        false);
  }

  private static EmbeddedClusterManifest join(CompletableFuture<EmbeddedClusterManifest> manifest) {
    try {
      return manifest.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static KubernetesClient newClient(String apiUrl, String namespace) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(apiUrl)
            .withNamespace(namespace)
            .withOauthToken(EmbeddedKubeconfig.TOKEN)
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * The mock web server records every request in an unbounded queue meant for test assertions; a
   * long-running gateway must drain it or it grows without limit.
   */
  private static Thread startJournalDrain(KubernetesMockServer server) {
    return Thread.ofVirtual()
        .name("embedded-api-journal-drain")
        .start(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  server.takeRequest();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  private static void listen(KubernetesMockServer server, int port) {
    try {
      server.init(loopback(), port);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "Cannot start the embedded Kubernetes API on " + HOST + ":" + port, e);
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByName(HOST);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("Cannot resolve " + HOST, e);
    }
  }

  @SuppressWarnings("deprecation")
  private static ObjectMapper fabric8JsonMapper() {
    // the mock's own constructors use this mapper; there is no non-deprecated way to obtain it
    return Serialization.jsonMapper();
  }
}
