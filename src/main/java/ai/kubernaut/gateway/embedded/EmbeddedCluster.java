package ai.kubernaut.gateway.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.impl.KubernetesClientImpl;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  /** How long a request of the gateway's client waits for the seeding before it fails. */
  static final Duration SEEDING_PATIENCE = Duration.ofSeconds(60);

  private final KubernetesMockServer server;
  private final KubernetesClient seeding;
  private final KubernetesClient client;
  private final SeededGate gate;
  private final Thread journalDrain;
  private final String apiUrl;
  private final Path kubeconfig;

  private EmbeddedCluster(
      KubernetesMockServer server,
      KubernetesClient seeding,
      KubernetesClient client,
      SeededGate gate,
      Thread journalDrain,
      String apiUrl,
      Path kubeconfig) {
    this.server = server;
    this.seeding = seeding;
    this.client = client;
    this.gate = gate;
    this.journalDrain = journalDrain;
    this.apiUrl = apiUrl;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Starts the API server and returns once it listens; the CRD and demo objects are created in the
   * background while the caller builds the gateway. Requests through {@link #client()} wait until
   * they are in place ({@link #awaitSeeded()} waits too and reports a failed seeding).
   */
  public static EmbeddedCluster start(int port, String controllerNamespace, Path kubeconfigFile) {
    long started = System.nanoTime();
    // reading the manifest (YAML and JSON parsers, the CRD's schema) overlaps with the server boot
    CompletableFuture<EmbeddedClusterManifest> manifest =
        CompletableFuture.supplyAsync(
            () -> EmbeddedClusterManifest.build(controllerNamespace),
            task -> Thread.ofVirtual().name("embedded-api-manifest").start(task));
    KubernetesMockServer server = newServer();
    Thread journalDrain = null;
    KubernetesClient seeding = null;
    try {
      listen(server, port);
      journalDrain = startJournalDrain(server);
      String apiUrl = "http://" + HOST + ":" + server.getPort();
      seeding = newClient(apiUrl, controllerNamespace);
      SeededGate gate =
          new SeededGate(seedInBackground(seeding, manifest, started), SEEDING_PATIENCE);
      KubernetesClient client = gated(seeding, gate);
      Path kubeconfig = kubeconfigFile.toAbsolutePath();
      EmbeddedKubeconfig.write(kubeconfig, apiUrl, controllerNamespace);
      EmbeddedCluster cluster =
          new EmbeddedCluster(server, seeding, client, gate, journalDrain, apiUrl, kubeconfig);
      log.info(
          "Embedded Kubernetes API listening on {} (started in {} ms)",
          apiUrl,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return cluster;
    } catch (RuntimeException e) {
      try {
        stop(server, seeding, journalDrain);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** A client whose requests wait until the demo objects exist. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * Waits until the CRD and demo objects exist.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when seeding failed or took
   *     longer than {@link #SEEDING_PATIENCE}
   */
  public void awaitSeeded() {
    gate.await();
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
    client.close();
    stop(server, seeding, journalDrain);
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

  private static CompletableFuture<Void> seedInBackground(
      KubernetesClient seeding, CompletableFuture<EmbeddedClusterManifest> manifest, long started) {
    return manifest.thenAcceptAsync(
        objects -> {
          new EmbeddedClusterSeed(seeding).seed(objects);
          log.info(
              "Embedded Kubernetes API seeded with the CRD and the demo workload ({} ms after start)",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        },
        task -> Thread.ofVirtual().name("embedded-api-seed").start(task));
  }

  /**
   * The seeding client's connections and serialisation with {@code gate} in front of every request.
   */
  private static KubernetesClient gated(KubernetesClient seeding, SeededGate gate) {
    HttpClient http =
        seeding.getHttpClient().newBuilder().addOrReplaceInterceptor(SeededGate.NAME, gate).build();
    return new KubernetesClientImpl(
        http,
        seeding.getConfiguration(),
        new OwnExecutor(Executors.newVirtualThreadPerTaskExecutor()),
        seeding.getKubernetesSerialization());
  }

  /** Informer callbacks of the gated client; shut down when it closes. */
  private record OwnExecutor(ExecutorService executor)
      implements KubernetesClientBuilder.ExecutorSupplier {

    @Override
    public Executor get() {
      return executor;
    }

    @Override
    public void onClose(Executor closed) {
      executor.shutdownNow();
    }
  }

  private static KubernetesClient newClient(String apiUrl, String namespace) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(apiUrl)
            .withNamespace(namespace)
            .withOauthToken(EmbeddedKubeconfig.TOKEN)
            .withRequestRetryBackoffLimit(0)
            // stated, not left to the library: a new incident's create is only sent while a
            // request this long ends within its claim's window
            .withRequestTimeout(10_000)
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
