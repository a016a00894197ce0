package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import ai.kubernaut.gateway.testing.SelfSignedCertificate;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DataStorage over HTTPS, each server with a certificate of its own CA (two different CAs), trusted
 * only through PEM bundles such as {@code TLS_CA_FILE} and {@code SSL_CERT_FILE}.
 */
class DataStorageTlsIT {

  @TempDir static Path certificates;
  @TempDir Path dir;
  private static SelfSignedCertificate caA;
  private static SelfSignedCertificate caB;
  private static Path bundleA;
  private static Path bundleB;
  private DataStorage serverA;
  private DataStorage serverB;

  @BeforeAll
  static void issueCertificates() throws Exception {
    caA = SelfSignedCertificate.issue(certificates, "ca-a");
    caB = SelfSignedCertificate.issue(certificates, "ca-b");
    caA.writePem(certificates.resolve("a"));
    caB.writePem(certificates.resolve("b"));
    bundleA = certificates.resolve("a").resolve("tls.crt");
    bundleB = certificates.resolve("b").resolve("tls.crt");
  }

  @BeforeEach
  void start() throws Exception {
    serverA = DataStorage.start(caA);
    serverB = DataStorage.start(caB);
  }

  @AfterEach
  void stop() {
    serverA.close();
    serverB.close();
  }

  @Test
  void certificateOfABundlesCaIsTrusted() throws Exception {
    DataStorageClient client = client(serverA, TrustBundle.jdkRootsPlus(List.of(bundleA)));

    assertThat(client.post(List.of(record())).status()).isEqualTo(201);
  }

  @Test
  void withOnlyTheJdkRootsTheSameServerIsNotTrusted() {
    DataStorageClient client = client(serverA, TrustBundle.jdkRootsPlus(List.of()));

    assertThatThrownBy(() -> client.post(List.of(record())))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void bothBundlesAreTrustedTogether() throws Exception {
    TrustBundle trust = TrustBundle.jdkRootsPlus(List.of(bundleA, bundleB));

    assertThat(client(serverA, trust).post(List.of(record())).status()).isEqualTo(201);
    assertThat(client(serverB, trust).post(List.of(record())).status()).isEqualTo(201);
  }

  @Test
  void aReplacedBundleIsFollowedWithoutARestart() throws Exception {
    Path bundle = Files.copy(bundleA, dir.resolve("ca.pem"));
    TrustBundle trust = TrustBundle.jdkRootsPlus(List.of(bundle));
    DataStorageClient toB = client(serverB, trust);
    DataStorageClient toA = client(serverA, trust);
    assertThatThrownBy(() -> toB.post(List.of(record()))).isInstanceOf(SSLHandshakeException.class);

    Files.copy(bundleB, bundle, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(toB.post(List.of(record())).status()).isEqualTo(201);
    assertThatThrownBy(() -> toA.post(List.of(record())))
        .as("the replaced CA is no longer trusted")
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aBundleThatDoesNotExistYetIsTrustedOnceItAppears() throws Exception {
    Path bundle = dir.resolve("later.pem");
    TrustBundle trust = TrustBundle.jdkRootsPlus(List.of(bundle));
    DataStorageClient client = client(serverA, trust);
    assertThatThrownBy(() -> client.post(List.of(record())))
        .isInstanceOf(SSLHandshakeException.class);

    Files.copy(bundleA, bundle);

    assertThat(client.post(List.of(record())).status()).isEqualTo(201);
  }

  @Test
  void aBundleThatStopsParsingKeepsTheCertificatesItHad() throws Exception {
    Path bundle = Files.copy(bundleA, dir.resolve("ca.pem"));
    DataStorageClient client = client(serverA, TrustBundle.jdkRootsPlus(List.of(bundle)));
    assertThat(client.post(List.of(record())).status()).isEqualTo(201);

    Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\nhalf-written");

    assertThat(client.post(List.of(record())).status()).isEqualTo(201);
  }

  @Test
  void aFileWithoutCertificatesIsRejectedAtStartUp() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

    assertThatThrownBy(() -> TrustBundle.jdkRootsPlus(List.of(empty)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString());
  }

  @Test
  void aDataStorageWhoseCaIsOnlyInSslCertFileReceivesEvents() throws Exception {
    Files.writeString(dir.resolve("token"), "gateway-token");
    try (MockCluster cluster = MockCluster.start()) {
      cluster.managedNamespace("demo");
      cluster.deploymentWithPod("demo", "checkout", Map.of());
      String url = "https://127.0.0.1:" + serverB.port();
      try (GatewayHarness gateway =
          GatewayHarness.start(
              cluster,
              dir,
              """
              datastorage:
                url: "%s"
                healthUrl: "%s/readyz"
                buffer:
                  flushInterval: 20ms
              audit:
                tokenFile: "%s"
                spool:
                  directory: "%s"
              """
                  .formatted(url, url, dir.resolve("token"), dir.resolve("spool")),
              Map.of("TLS_CA_FILE", bundleA.toString(), "SSL_CERT_FILE", bundleB.toString()))) {

        assertThat(
                gateway
                    .post(
                        AlertmanagerSource.PATH,
                        """
                        {"alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping",\
                        "severity":"critical","namespace":"demo","pod":"checkout-7d9f8b6c5-x2k4p"}}]}\
                        """)
                    .statusCode())
            .isEqualTo(201);

        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(serverB.bodies())
                        .anySatisfy(body -> assertThat(body).contains("gateway.signal.received")));
      }
    }
  }

  private static DataStorageClient client(DataStorage server, TrustBundle trust) {
    String url = "https://127.0.0.1:" + server.port();
    return new DataStorageClient(
        URI.create(url),
        URI.create(url + "/readyz"),
        Duration.ofSeconds(5),
        new ServiceAccountToken(certificates.resolve("no-token")),
        Optional.of(trust.sslContext()),
        io.opentelemetry.api.trace.TracerProvider.noop().get("test"));
  }

  private static SpoolRecord record() {
    return new SpoolRecord(1, Instant.now(), SampleEvents.event(1));
  }

  /** An HTTPS DataStorage presenting one certificate, keeping the batches it accepted. */
  private record DataStorage(HttpsServer server, Queue<String> received) implements AutoCloseable {

    static DataStorage start(SelfSignedCertificate certificate) throws Exception {
      HttpsServer server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
      Queue<String> received = new ConcurrentLinkedQueue<>();
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              received.add(
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
              byte[] body =
                  "{\"event_ids\":[],\"message\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
              int status =
                  exchange.getRequestURI().getPath().equals(DataStorageClient.BATCH_PATH)
                      ? 201
                      : 200;
              exchange.sendResponseHeaders(status, body.length);
              exchange.getResponseBody().write(body);
            }
          });
      server.start();
      return new DataStorage(server, received);
    }

    int port() {
      return server.getAddress().getPort();
    }

    List<String> bodies() {
      return List.copyOf(received);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
