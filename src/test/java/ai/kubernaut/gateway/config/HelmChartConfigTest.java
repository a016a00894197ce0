package ai.kubernaut.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The configuration kubernaut's Helm chart renders for the Go Gateway, with the chart's default
 * values and the environment its Deployment sets, loads as the chart means it.
 */
class HelmChartConfigTest {

  /**
   * Keys the chart renders that this gateway does not read, and why ignoring them changes nothing
   * with the chart's defaults. Any other ignored key fails the test.
   */
  private static final Map<String, String> IGNORED_ON_PURPOSE =
      Map.of(
          "telemetry.logSink", "span summaries in the log; false in the chart",
          "telemetry.tls.enabled", "OTLP over TLS; false in the chart, and the endpoint is empty",
          "telemetry.tls.caFile", "empty; outbound TLS trusts TLS_CA_FILE and SSL_CERT_FILE",
          "telemetry.tls.certFile", "empty (no client certificate)",
          "telemetry.tls.keyFile", "empty (no client certificate)",
          "datastorage.buffer.bufferSize", "the durable spool replaces the memory buffer",
          "datastorage.buffer.maxRetries", "delivery retries until DataStorage accepts",
          "processing.deduplication.cooldownPeriod", "ignored by the Go Gateway too since v1.6");

  private static final Map<String, String> DEPLOYMENT_ENV =
      Map.of(
          "POD_NAME", "gateway-7c9d5b8f6-abcde",
          "POD_NAMESPACE", "kubernaut-system",
          "TLS_CA_FILE", "/etc/tls-ca/ca.crt");

  @Test
  void theChartsRenderedConfigLoadsWithoutErrors() throws Exception {
    GatewayConfig config = load();

    assertThat(config.source().ignoredKeys())
        .as("keys the chart sets that this gateway ignores")
        .allSatisfy(key -> assertThat(IGNORED_ON_PURPOSE).containsKey(key));
  }

  @Test
  void listenersMatchTheChartsPortsAndProbes() throws Exception {
    GatewayConfig.Server server = load().server();

    assertThat(server.listenAddr()).isEqualTo(new ListenAddress("", 8080));
    assertThat(server.healthAddr()).isEqualTo(new ListenAddress("", 8081));
    assertThat(server.metricsAddr()).isEqualTo(new ListenAddress("", 9090));
    assertThat(server.maxConcurrentRequests()).isEqualTo(100);
    assertThat(server.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(server.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(server.k8sRequestTimeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void auditGoesToTheInClusterDataStorageOverHttpsTrustingTheChartsCa() throws Exception {
    GatewayConfig config = load();

    assertThat(config.dataStorage().url())
        .isEqualTo("https://data-storage-service.kubernaut-system.svc.cluster.local:8080");
    assertThat(config.dataStorage().healthUrl()).endsWith(":8080/readyz");
    assertThat(config.dataStorage().batchSize()).isEqualTo(100);
    assertThat(config.audit().caBundles()).containsExactly(Path.of("/etc/tls-ca/ca.crt"));
  }

  @Test
  void sendersAreAuthenticatedAsTheChartsRbacExpects() throws Exception {
    GatewayConfig config = load();

    assertThat(config.security().auth().enabled()).isTrue();
    assertThat(config.security().auth().resource()).isEqualTo("services");
    assertThat(config.security().auth().resourceName()).isEqualTo("gateway-service");
    assertThat(config.security().cors().allowedOrigins())
        .containsExactly("https://no-browser-clients.invalid");
    assertThat(config.identity().podNamespace()).isEqualTo("kubernaut-system");
  }

  private static GatewayConfig load() throws URISyntaxException {
    Path file =
        Path.of(
            HelmChartConfigTest.class.getResource("/fixtures/helm/gateway-config.yaml").toURI());
    return new ConfigLoader(DEPLOYMENT_ENV, null).load(Optional.of(file));
  }
}
