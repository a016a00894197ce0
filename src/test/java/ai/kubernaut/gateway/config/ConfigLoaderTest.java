package ai.kubernaut.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaultsMatchTheGoGateway() {
    GatewayConfig config = loader(Map.of()).load(Optional.empty());

    assertThat(config.server().listenAddr()).isEqualTo(new ListenAddress("", 8080));
    assertThat(config.server().healthAddr()).isEqualTo(new ListenAddress("", 8081));
    assertThat(config.server().metricsAddr()).isEqualTo(new ListenAddress("", 9090));
    assertThat(config.server().maxConcurrentRequests()).isEqualTo(100);
    assertThat(config.server().k8sRequestTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.server().writeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.dataStorage().url()).isEqualTo("http://data-storage-service:8080");
    assertThat(config.processing().retry())
        .isEqualTo(new GatewayConfig.Retry(3, Duration.ofMillis(100), Duration.ofSeconds(5)));
    assertThat(config.logging().level()).isEqualTo("INFO");
    assertThat(config.identity().controllerNamespace()).isEqualTo("kubernaut-system");
  }

  @Test
  void clusterAndKubernetesSettingsHaveDefaultsAndAreValidated() throws IOException {
    GatewayConfig defaults = loader(Map.of()).load(Optional.empty());
    assertThat(defaults.identity().clusterId()).isEmpty();
    assertThat(defaults.kubernetes())
        .isEqualTo(new GatewayConfig.Kubernetes(Duration.ofMinutes(5), Duration.ofSeconds(30)));

    GatewayConfig set =
        loader(Map.of())
            .load(
                Optional.of(
                    write(
                        """
                        cluster:
                          id: prod-eu
                        kubernetes:
                          discoveryRefresh: 1m
                          cacheSyncTimeout: 2m
                        """)));
    assertThat(set.identity().clusterId()).isEqualTo("prod-eu");
    assertThat(set.kubernetes())
        .isEqualTo(new GatewayConfig.Kubernetes(Duration.ofMinutes(1), Duration.ofMinutes(2)));

    Path invalid =
        write(
            """
            kubernetes:
              discoveryRefresh: 10ms
              cacheSyncTimeout: 0s
            """);
    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(invalid)))
        .hasMessageContaining("kubernetes.discoveryRefresh")
        .hasMessageContaining("kubernetes.cacheSyncTimeout");
  }

  @Test
  void fileValuesOverlayTheDefaults() throws IOException {
    Path file =
        write(
            """
            server:
              listenAddr: "127.0.0.1:0"
              writeTimeout: 2m
              k8sRequestTimeout: 45s
              maxConcurrentRequests: 250
            processing:
              retry:
                maxAttempts: 5
                initialBackoff: 250ms
            logging:
              level: debug
            someFutureKey: ignored
            """);

    GatewayConfig config = loader(Map.of()).load(Optional.of(file));

    assertThat(config.server().listenAddr()).isEqualTo(new ListenAddress("127.0.0.1", 0));
    assertThat(config.server().k8sRequestTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.server().maxConcurrentRequests()).isEqualTo(250);
    assertThat(config.processing().retry().maxAttempts()).isEqualTo(5);
    assertThat(config.processing().retry().initialBackoff()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.logging().level()).isEqualTo("DEBUG");
    assertThat(config.server().healthAddr()).isEqualTo(new ListenAddress("", 8081));
  }

  @Test
  void everyInvalidValueIsReportedWithKeyValueAndWhatIsAllowed() throws IOException {
    Path file =
        write(
            """
            server:
              listenAddr: "nowhere"
              maxConcurrentRequests: 20000
              k8sRequestTimeout: fast
            logging:
              level: LOUD
            """);

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "invalid config server.k8sRequestTimeout=\"fast\": must be a duration such as 30s, 5m or 100ms, 0 (off) or at least 1s",
                        "invalid config server.listenAddr=\"nowhere\": must be an address such as :8080 or 127.0.0.1:8080",
                        "invalid config server.maxConcurrentRequests=\"20000\": must be an integer from 0 to 10000",
                        "invalid config logging.level=\"LOUD\": must be one of DEBUG, INFO, WARN, ERROR"));
  }

  @Test
  void resolvedAlertsAreIgnoredUnlessConfiguredToCountAsFiring() throws IOException {
    assertThat(loader(Map.of()).load(Optional.empty()).processing().resolvedAlerts())
        .isEqualTo(GatewayConfig.ResolvedAlerts.IGNORE);
    Path file = write("processing:\n  resolvedAlerts: as-firing\n");

    assertThat(loader(Map.of()).load(Optional.of(file)).processing().resolvedAlerts())
        .isEqualTo(GatewayConfig.ResolvedAlerts.AS_FIRING);
  }

  @Test
  void anUnknownResolvedAlertsValueIsAConfigError() throws IOException {
    Path file = write("processing:\n  resolvedAlerts: drop\n");

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid config processing.resolvedAlerts=\"drop\": must be one of ignore, as-firing");
  }

  @Test
  void requestTimeoutMustBeShorterThanWriteTimeout() throws IOException {
    Path file = write("server:\n  k8sRequestTimeout: 40s\n  writeTimeout: 30s\n");

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid config server.k8sRequestTimeout=\"40s\": must be shorter than"
                + " server.writeTimeout (30s)");
  }

  @Test
  void theDefaultsGiveEachKubernetesRequestHalfTheRequestDeadline() {
    GatewayConfig config = loader(Map.of()).load(Optional.empty());

    assertThat(config.server().k8sPerRequestTimeout()).isEqualTo(Duration.ofMillis(7_500));
    assertThat(config.server().k8sPerRequestTimeout())
        .isLessThan(GatewayConfig.Server.MAX_K8S_PER_REQUEST_TIMEOUT);
  }

  @Test
  void connectingAndWaitingForTheAnswerTogetherStayWithinTheLongestRequestACreateMayTake()
      throws IOException {
    assertThat(loader(Map.of()).load(Optional.empty()).server().k8sConnectTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    Path file = write("server:\n  k8sRequestTimeout: 46s\n  writeTimeout: 1m\n");

    GatewayConfig.Server server = loader(Map.of()).load(Optional.of(file)).server();

    assertThat(server.k8sConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(server.k8sPerRequestTimeout().plus(server.k8sConnectTimeout()))
        .isEqualTo(GatewayConfig.Server.MAX_K8S_PER_REQUEST_TIMEOUT);
  }

  @Test
  void aRequestTimeoutThatLetsACreateOutlastTheClaimWindowIsRejected() throws IOException {
    Path file = write("server:\n  k8sRequestTimeout: 1m30s\n  writeTimeout: 2m\n");

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid config server.k8sRequestTimeout=\"1m30s\": must be shorter than 48s (each"
                + " Kubernetes request may last half of it, and a new incident's create must reach"
                + " the API server within 30 s of its claim)");
  }

  @Test
  void aWriteTimeoutStandingInForTheRequestTimeoutIsBoundTheSameWay() throws IOException {
    Path file = write("server:\n  k8sRequestTimeout: 0s\n  writeTimeout: 1m\n");

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "invalid config server.writeTimeout=\"1m\": must be shorter than 48s while"
                + " server.k8sRequestTimeout is 0");
  }

  @Test
  void kubernetesRequestsWithoutATimeoutAreRejected() throws IOException {
    Path file = write("server:\n  k8sRequestTimeout: 0s\n  writeTimeout: 0s\n");

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "invalid config server.k8sRequestTimeout=\"0s\": must be set while"
                + " server.writeTimeout is 0");
  }

  @Test
  void brokenYamlNamesTheLine() throws IOException {
    Path file = write("server:\n  listenAddr: [unclosed\n");

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML at line");
  }

  @Test
  void controllerNamespaceComesFromTheEnvironmentThenTheServiceAccount() throws IOException {
    Path saNamespace = Files.writeString(dir.resolve("namespace"), "kubernaut-prod\n");

    assertThat(
            new ConfigLoader(Map.of("KUBERNAUT_CONTROLLER_NAMESPACE", " remediation "), saNamespace)
                .load(Optional.empty())
                .identity()
                .controllerNamespace())
        .isEqualTo("remediation");
    assertThat(
            new ConfigLoader(Map.of(), saNamespace)
                .load(Optional.empty())
                .identity()
                .controllerNamespace())
        .isEqualTo("kubernaut-prod");
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("KUBERNAUT_CONTROLLER_NAMESPACE", "  "), saNamespace)
                    .load(Optional.empty()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KUBERNAUT_CONTROLLER_NAMESPACE");
  }

  @Test
  void podIdentityComesFromTheDownwardApiEnvironment() {
    GatewayConfig.Identity identity =
        loader(Map.of("POD_NAME", "gateway-7f9c-abcde", "POD_NAMESPACE", "kubernaut-system"))
            .load(Optional.empty())
            .identity();

    assertThat(identity.podName()).isEqualTo("gateway-7f9c-abcde");
    assertThat(identity.podNamespace()).isEqualTo("kubernaut-system");
  }

  @Test
  void auditDefaultsSpoolHalfAGibibyteRefuseWhenFullAndKeepReadinessOffDataStorage() {
    GatewayConfig config = loader(Map.of()).load(Optional.empty());

    assertThat(config.dataStorage().configured()).isTrue();
    assertThat(config.dataStorage().batchSize()).isEqualTo(100);
    assertThat(config.dataStorage().flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.dataStorage().timeout()).isEqualTo(Duration.ofSeconds(10));
    GatewayConfig.Audit audit = config.audit();
    assertThat(audit.spool().maxBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(audit.spool().onFull()).isEqualTo(GatewayConfig.OnFull.REJECT);
    assertThat(audit.dataStorageGatesReadiness()).isFalse();
    assertThat(audit.tokenFile())
        .isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    assertThat(audit.caBundles()).isEmpty();
    assertThat(config.telemetry().caBundles()).isEmpty();
    assertThat(audit.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(audit.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void auditSettingsAreReadFromTheFileAndTheCaBundleFromTheEnvironment() throws IOException {
    Path file =
        write(
            """
            datastorage:
              url: ""
              buffer:
                batchSize: 20
                flushInterval: 250ms
                bufferSize: 30000
            audit:
              dataStorageGatesReadiness: true
              spool:
                directory: /var/spool/gateway
                maxBytes: 1048576
                onFull: drop
            """);

    GatewayConfig config =
        loader(Map.of("TLS_CA_FILE", "/etc/ca/bundle.pem", "SSL_CERT_FILE", "/etc/ssl/ca.pem"))
            .load(Optional.of(file));

    assertThat(config.dataStorage().configured()).isFalse();
    assertThat(config.dataStorage().batchSize()).isEqualTo(20);
    assertThat(config.dataStorage().flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.audit().spool())
        .isEqualTo(
            new GatewayConfig.AuditSpool(
                Path.of("/var/spool/gateway"), 1048576, GatewayConfig.OnFull.DROP));
    assertThat(config.audit().dataStorageGatesReadiness()).isTrue();
    assertThat(config.audit().caBundles())
        .containsExactly(Path.of("/etc/ca/bundle.pem"), Path.of("/etc/ssl/ca.pem"));
    assertThat(config.telemetry().caBundles())
        .containsExactly(Path.of("/etc/ca/bundle.pem"), Path.of("/etc/ssl/ca.pem"));
  }

  @Test
  void invalidAuditSettingsAreReported() throws IOException {
    Path file =
        write(
            """
            datastorage:
              url: "data-storage:8080"
              buffer:
                batchSize: 0
            audit:
              dataStorageGatesReadiness: maybe
              spool:
                maxBytes: 10
                onFull: block
            """);

    assertThatThrownBy(() -> loader(Map.of()).load(Optional.of(file)))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "invalid config datastorage.url=\"data-storage:8080\": must be an http(s)"
                            + " URL, or empty to keep audit events in audit.file",
                        "invalid config datastorage.buffer.batchSize=\"0\": must be an integer"
                            + " from 1 to 10000",
                        "invalid config audit.dataStorageGatesReadiness=\"maybe\": must be true or"
                            + " false",
                        "invalid config audit.spool.maxBytes=\"10\": must be an integer from 65536"
                            + " to 9223372036854775807",
                        "invalid config audit.spool.onFull=\"block\": must be one of reject,"
                            + " drop"));
  }

  private ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(env, dir.resolve("absent"));
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("config.yaml"), yaml);
  }
}
