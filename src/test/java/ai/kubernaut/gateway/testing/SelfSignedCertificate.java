package ai.kubernaut.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed certificate for 127.0.0.1, made with the JDK's keytool and kept as PEM. */
public record SelfSignedCertificate(X509Certificate certificate, PrivateKey key) {

  private static final String PASSWORD = "changeit";

  /** Issues a certificate named {@code cn} in {@code scratch}, valid from now for two days. */
  public static SelfSignedCertificate issue(Path scratch, String cn) throws Exception {
    return issue(scratch, cn, "+0d", 2);
  }

  /**
   * Issues a certificate valid from {@code start} (keytool's relative form, e.g. {@code -10d}) for
   * {@code days}.
   */
  public static SelfSignedCertificate issue(Path scratch, String cn, String start, int days)
      throws Exception {
    Path keystore = scratch.resolve(cn + ".p12");
    run(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair",
        "-alias",
        "serving",
        "-keyalg",
        "EC",
        "-dname",
        "CN=" + cn,
        "-ext",
        "SAN=ip:127.0.0.1",
        "-startdate",
        start,
        "-validity",
        Integer.toString(days),
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return new SelfSignedCertificate(
        (X509Certificate) store.getCertificate("serving"),
        (PrivateKey) store.getKey("serving", PASSWORD.toCharArray()));
  }

  /** A server-side TLS context presenting this certificate. */
  public SSLContext serverContext() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "serving", key, PASSWORD.toCharArray(), new java.security.cert.Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** Writes {@code tls.crt} and {@code tls.key} into {@code dir}. */
  public void writePem(Path dir) throws Exception {
    writePem(dir, key);
  }

  /** Writes this certificate with another key: a pair that does not belong together. */
  public void writePem(Path dir, PrivateKey otherKey) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tls.crt"), pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", otherKey.getEncoded()));
  }

  /** The certificate, PEM-encoded. */
  public String certificatePem() {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }
}
