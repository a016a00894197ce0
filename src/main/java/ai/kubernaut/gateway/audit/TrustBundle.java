package ai.kubernaut.gateway.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust for outbound TLS: the JDK's roots plus the certificates of PEM bundles such as {@code
 * TLS_CA_FILE} and {@code SSL_CERT_FILE}. The bundles are read again on every TLS handshake and the
 * trust is rebuilt when their content changed, so a rotated CA is trusted without a restart. A
 * bundle that does not exist (yet) adds nothing; a bundle that stops parsing keeps the certificates
 * it had.
 */
public final class TrustBundle {

  private static final Logger log = LoggerFactory.getLogger(TrustBundle.class);

  private final List<Path> bundles;
  private final List<X509Certificate> jdkRoots;
  private final Map<Path, byte[]> contents = new LinkedHashMap<>();
  private final Map<Path, List<X509Certificate>> certificates = new LinkedHashMap<>();
  private volatile X509ExtendedTrustManager current;

  private TrustBundle(List<Path> bundles, List<X509Certificate> jdkRoots) {
    this.bundles = List.copyOf(bundles);
    this.jdkRoots = List.copyOf(jdkRoots);
  }

  /**
   * The JDK's roots plus {@code bundles}.
   *
   * @throws IllegalArgumentException when a bundle exists but holds no certificate: a
   *     misconfiguration better reported at start-up than at the first handshake
   */
  public static TrustBundle jdkRootsPlus(List<Path> bundles) {
    TrustBundle trust = new TrustBundle(distinct(bundles), jdkRoots());
    for (Path bundle : trust.bundles) {
      Optional<byte[]> content = read(bundle);
      if (content.isEmpty()) {
        log.warn("CA bundle {} does not exist; it is trusted once it appears", bundle);
      } else {
        try {
          parse(content.get());
        } catch (CertificateException | IllegalArgumentException e) {
          throw new IllegalArgumentException("invalid CA bundle " + bundle + ": " + e.getMessage());
        }
      }
    }
    trust.refresh();
    return trust;
  }

  /** An {@link SSLContext} whose trust follows the bundles' current content. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS context", e);
    }
  }

  /** The trust manager behind {@link #sslContext()}, for clients that want both. */
  public X509TrustManager trustManager() {
    return new Following();
  }

  /** The bundles, in order, without duplicates. */
  public List<Path> bundles() {
    return bundles;
  }

  private X509ExtendedTrustManager refresh() {
    synchronized (contents) {
      boolean changed = current == null;
      for (Path bundle : bundles) {
        byte[] now = read(bundle).orElse(null);
        if (Arrays.equals(now, contents.get(bundle))) {
          continue;
        }
        contents.put(bundle, now);
        changed |= reparse(bundle, now);
      }
      if (changed) {
        current = build();
      }
      return current;
    }
  }

  private boolean reparse(Path bundle, byte[] content) {
    if (content == null) {
      return certificates.remove(bundle) != null;
    }
    try {
      certificates.put(bundle, parse(content));
      log.info("trusting {} certificates of CA bundle {}", certificates.get(bundle).size(), bundle);
      return true;
    } catch (CertificateException | IllegalArgumentException e) {
      log.warn(
          "CA bundle {} cannot be read ({}); keeping the certificates it had",
          bundle,
          e.getMessage());
      return false;
    }
  }

  private X509ExtendedTrustManager build() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate root : jdkRoots) {
        store.setCertificateEntry("jdk-" + i++, root);
      }
      for (List<X509Certificate> bundle : certificates.values()) {
        for (X509Certificate certificate : bundle) {
          store.setCertificateEntry("bundle-" + i++, certificate);
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return extended(factory.getTrustManagers());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store", e);
    }
  }

  private static List<X509Certificate> parse(byte[] pem) throws CertificateException {
    List<X509Certificate> parsed = new ArrayList<>();
    for (var certificate :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem))) {
      parsed.add((X509Certificate) certificate);
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("no certificates in it");
    }
    return parsed;
  }

  private static Optional<byte[]> read(Path bundle) {
    try {
      return Optional.of(Files.readAllBytes(bundle));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read CA bundle {}: {}", bundle, e.toString());
      return Optional.empty();
    }
  }

  private static List<X509Certificate> jdkRoots() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return List.of(extended(factory.getTrustManagers()).getAcceptedIssuers());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the JDK's trust store", e);
    }
  }

  private static X509ExtendedTrustManager extended(TrustManager[] managers) {
    return Arrays.stream(managers)
        .filter(X509ExtendedTrustManager.class::isInstance)
        .map(X509ExtendedTrustManager.class::cast)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the JDK offers no X.509 trust manager"));
  }

  private static List<Path> distinct(List<Path> bundles) {
    return bundles.stream().map(Path::toAbsolutePath).map(Path::normalize).distinct().toList();
  }

  /** Delegates every check to the trust built from the bundles' content at this handshake. */
  private final class Following extends X509ExtendedTrustManager {

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      refresh().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      refresh().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      refresh().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      refresh().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      refresh().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      refresh().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return refresh().getAcceptedIssuers();
    }
  }
}
