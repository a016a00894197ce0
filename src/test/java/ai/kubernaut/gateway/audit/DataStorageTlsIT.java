package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DataStorage over HTTPS with a certificate only the configured CA bundle vouches for. */
class DataStorageTlsIT {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path certificates;
  @TempDir Path dir;
  private static Path keystore;
  private static Path caBundle;
  private HttpsServer server;

  @BeforeAll
  static void issueCertificate() throws Exception {
    keystore = certificates.resolve("datastorage.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "datastorage",
        "-keyalg",
        "EC",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    caBundle = certificates.resolve("ca.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "datastorage",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        caBundle.toString());
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keystore)));
    server.createContext(
        DataStorageClient.BATCH_PATH,
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"event_ids\":[],\"message\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void certificateSignedByTheConfiguredBundleIsTrusted() throws Exception {
    DataStorageClient client = client(Optional.of(TrustBundle.sslContext(caBundle)));

    DataStorageClient.Answer answer = client.post(List.of(record()));

    assertThat(answer.status()).isEqualTo(201);
  }

  @Test
  void withoutTheBundleTheSameServerIsNotTrusted() {
    DataStorageClient client = client(Optional.empty());

    assertThatThrownBy(() -> client.post(List.of(record())))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aFileWithoutCertificatesIsRejectedAtStartUp() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

    assertThatThrownBy(() -> TrustBundle.sslContext(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString());
  }

  private DataStorageClient client(Optional<SSLContext> tls) {
    String url = "https://127.0.0.1:" + server.getAddress().getPort();
    return new DataStorageClient(
        URI.create(url),
        URI.create(url + "/readyz"),
        Duration.ofSeconds(5),
        new ServiceAccountToken(dir.resolve("no-token")),
        tls,
        io.opentelemetry.api.trace.TracerProvider.noop().get("test"));
  }

  private static SpoolRecord record() {
    return new SpoolRecord(1, Instant.now(), SampleEvents.event(1));
  }

  private static SSLContext serverContext(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
