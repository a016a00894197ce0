package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.CapturedLogs;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import ai.kubernaut.gateway.testing.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the API listener from a mounted TLS Secret, reloaded when the Secret's {@code ..data}
 * symlink is swapped; health and metrics stay plain HTTP.
 */
class ServingTlsIT {

  @TempDir static Path dir;
  static Path certDir;
  static SelfSignedCertificate first;
  static SelfSignedCertificate second;
  static SelfSignedCertificate third;
  static SSLContext trustingAll;
  static MockCluster cluster;
  static GatewayHarness gateway;
  static CapturedLogs logs;

  @BeforeAll
  static void start() throws Exception {
    first = SelfSignedCertificate.issue(dir, "first");
    second = SelfSignedCertificate.issue(dir, "second");
    third = SelfSignedCertificate.issue(dir, "third");
    trustingAll = trusting(first, second, third);
    certDir = dir.resolve("secret");
    Files.createDirectories(certDir);
    mountSecret(first, "..2026_01", null);
    Files.createSymbolicLink(certDir.resolve("tls.crt"), Path.of("..data/tls.crt"));
    Files.createSymbolicLink(certDir.resolve("tls.key"), Path.of("..data/tls.key"));

    logs = new CapturedLogs();
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway =
        GatewayHarness.start(
            cluster,
            dir,
            """
            server:
              tls:
                certDir: "%s"
                reloadInterval: 100ms
            """
                .formatted(certDir));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
    logs.close();
  }

  @Test
  void signalsArriveOverHttpsWhileHealthAndMetricsStayPlain() throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(trustingAll).build();

    HttpResponse<String> response =
        https.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "https://127.0.0.1:" + gateway.app().apiPort() + AlertmanagerSource.PATH))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        Fixtures.bytes("alertmanager/firing-pod.json")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    assertThat(gateway.health("/healthz").statusCode()).isEqualTo(200);
    assertThat(gateway.metrics().statusCode()).isEqualTo(200);
  }

  @Test
  void aSwappedSecretIsServedToNewConnectionsAndABrokenOneIsNot() throws Exception {
    assertThat(presented()).isIn(first.certificate(), second.certificate());

    mountSecret(second, "..2026_02", null);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(presented()).isEqualTo(second.certificate()));

    mountSecret(third, "..2026_03", first.key());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(logs.lines())
                    .anyMatch(l -> l.contains("keeping the current certificate")));
    assertThat(presented()).isEqualTo(second.certificate());
  }

  /** Writes a pair into a new timestamped directory and swaps {@code ..data} to it atomically. */
  private static void mountSecret(
      SelfSignedCertificate certificate, String version, java.security.PrivateKey otherKey)
      throws Exception {
    Path target = certDir.resolve(version);
    if (otherKey == null) {
      certificate.writePem(target);
    } else {
      certificate.writePem(target, otherKey);
    }
    Path next = certDir.resolve("..data_tmp");
    Files.createSymbolicLink(next, Path.of(version));
    Files.move(
        next,
        certDir.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** The certificate a new TLS connection to the API listener is shown. */
  private static Certificate presented() throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            trustingAll.getSocketFactory().createSocket("127.0.0.1", gateway.app().apiPort())) {
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  private static SSLContext trusting(SelfSignedCertificate... certificates) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (SelfSignedCertificate c : certificates) {
      trust.setCertificateEntry(
          c.certificate().getSubjectX500Principal().getName(), c.certificate());
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
