package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.app.GatewayApp;
import ai.kubernaut.gateway.app.SignalSources;
import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running gateway on ephemeral ports in front of an API server (the mock, or any through a
 * client), plus an HTTP client.
 */
public final class GatewayHarness implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient reader;
  private final String controllerNamespace;
  private final Optional<KubernetesClient> owned;
  private final GatewayApp app;
  private final Path auditFile;
  private final Path configFile;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GatewayHarness(
      KubernetesClient reader,
      String controllerNamespace,
      Optional<KubernetesClient> owned,
      GatewayApp app,
      Path auditFile,
      Path configFile) {
    this.reader = reader;
    this.controllerNamespace = controllerNamespace;
    this.owned = owned;
    this.app = app;
    this.auditFile = auditFile;
    this.configFile = configFile;
  }

  /**
   * Starts a gateway; {@code extraYaml} is appended to the test configuration (a top-level key in
   * it replaces the default block). By default audit events go to the JSON-lines file.
   */
  public static GatewayHarness start(MockCluster cluster, Path dir, String extraYaml) {
    return start(cluster, dir, extraYaml, Map.of());
  }

  /** Starts a gateway as above that sees {@code env} as its process environment. */
  public static GatewayHarness start(
      MockCluster cluster, Path dir, String extraYaml, Map<String, String> env) {
    return start(
        cluster.newClient(),
        cluster.client(),
        MockCluster.CONTROLLER_NAMESPACE,
        Optional.empty(),
        dir,
        extraYaml,
        env,
        SignalSources.STANDARD);
  }

  /**
   * Starts a gateway on {@code client} (any API server; the harness closes the client) that keeps
   * its RemediationRequests in {@code controllerNamespace}.
   */
  public static GatewayHarness start(
      KubernetesClient client,
      String controllerNamespace,
      Path dir,
      String extraYaml,
      Map<String, String> env) {
    return start(client, controllerNamespace, dir, extraYaml, env, SignalSources.STANDARD);
  }

  /** Starts a gateway as above that serves {@code sources}. */
  public static GatewayHarness start(
      KubernetesClient client,
      String controllerNamespace,
      Path dir,
      String extraYaml,
      Map<String, String> env,
      SignalSources sources) {
    return start(
        client, client, controllerNamespace, Optional.of(client), dir, extraYaml, env, sources);
  }

  private static GatewayHarness start(
      KubernetesClient gatewayClient,
      KubernetesClient reader,
      String controllerNamespace,
      Optional<KubernetesClient> owned,
      Path dir,
      String extraYaml,
      Map<String, String> env,
      SignalSources sources) {
    try {
      Path auditFile = dir.resolve("audit.jsonl");
      Path config =
          Files.writeString(
              dir.resolve("gateway.yaml"),
              """
              server:
                listenAddr: "127.0.0.1:0"
                healthAddr: "127.0.0.1:0"
                metricsAddr: "127.0.0.1:0"
                shutdownTimeout: 5s
              processing:
                retry:
                  maxAttempts: 2
                  initialBackoff: 10ms
                  maxBackoff: 20ms
              datastorage:
                url: ""
              audit:
                file: "%s"
              auth:
                mode: none
              freshness:
                enabled: false
              """
                  .formatted(auditFile));
      Files.writeString(config, merged(Files.readString(config), extraYaml));
      GatewayConfig gatewayConfig =
          new ConfigLoader(environment(env, controllerNamespace), null).load(Optional.of(config));
      GatewayApp app;
      try {
        app = GatewayApp.start(gatewayConfig, gatewayClient, Clock.systemUTC(), sources);
      } catch (RuntimeException e) {
        owned.ifPresent(KubernetesClient::close);
        throw e;
      }
      GatewayHarness harness =
          new GatewayHarness(reader, controllerNamespace, owned, app, auditFile, config);
      harness.awaitReady();
      return harness;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> environment(
      Map<String, String> env, String controllerNamespace) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("KUBERNAUT_CONTROLLER_NAMESPACE", controllerNamespace);
    return all;
  }

  /** The test configuration with {@code extraYaml} merged over it, key by key. */
  private static String merged(String baseYaml, String extraYaml) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode base = yaml.readTree(baseYaml);
    JsonNode extra = yaml.readTree(extraYaml);
    if (extra instanceof ObjectNode overrides) {
      merge((ObjectNode) base, overrides);
    }
    return yaml.writeValueAsString(base);
  }

  private static void merge(ObjectNode base, ObjectNode overrides) {
    overrides
        .properties()
        .forEach(
            field -> {
              JsonNode current = base.get(field.getKey());
              if (current instanceof ObjectNode nested
                  && field.getValue() instanceof ObjectNode more) {
                merge(nested, more);
              } else {
                base.set(field.getKey(), field.getValue());
              }
            });
  }

  /**
   * Replaces the running gateway's configuration file with {@code yaml}, the way a ConfigMap update
   * does: the new content appears at once, never half written.
   */
  public void replaceConfigFile(String yaml) {
    try {
      Path next = Files.writeString(configFile.resolveSibling(".gateway.yaml.next"), yaml);
      Files.move(
          next,
          configFile,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The running gateway's configuration file with {@code extraYaml} merged over it. */
  public String configFileWith(String extraYaml) {
    try {
      return merged(Files.readString(configFile), extraYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static GatewayHarness start(MockCluster cluster, Path dir) {
    return start(cluster, dir, "");
  }

  public GatewayApp app() {
    return app;
  }

  public HttpResponse<String> post(String path, byte[] body) {
    return post(path, body, Map.of("Content-Type", "application/json"));
  }

  public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(api(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  public HttpResponse<String> post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI api(String path) {
    return URI.create("http://127.0.0.1:" + app.apiPort() + path);
  }

  public HttpResponse<String> health(String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.healthPort() + path)).build());
  }

  public HttpResponse<String> metrics() {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics"))
            .build());
  }

  public List<RemediationRequest> remediationRequests() {
    return reader
        .resources(RemediationRequest.class)
        .inNamespace(controllerNamespace)
        .list()
        .getItems();
  }

  public List<JsonNode> auditEvents() {
    try {
      if (!Files.exists(auditFile)) {
        return List.of();
      }
      return Files.readAllLines(auditFile).stream()
          .map(GatewayHarness::parse)
          .map(AuditSchema::requireValid)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> health("/readyz").statusCode() == 200);
  }

  @Override
  public void close() {
    app.close();
    owned.ifPresent(KubernetesClient::close);
  }
}
