package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.signal.Sha256;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The API listener's certificate and key: {@code tls.crt} (PEM chain) and {@code tls.key} (PEM
 * private key) in a directory, as a Kubernetes TLS Secret is mounted. Both files are read in one go
 * and the key must belong to the certificate, so a pair caught half-replaced is refused rather than
 * served.
 */
public final class ServingCertificate {

  /** The pair could not be read or does not belong together. */
  public static final class InvalidException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Tls tls;
  private final byte[] digest;
  private final X509Certificate leaf;

  private ServingCertificate(Tls tls, byte[] digest, X509Certificate leaf) {
    this.tls = tls;
    this.digest = digest;
    this.leaf = leaf;
  }

  /** The SHA-256 of both files, to notice a change without parsing. */
  public static byte[] digestOf(Path dir) throws IOException {
    return Sha256.ofParts(
        Files.readAllBytes(dir.resolve("tls.crt")), Files.readAllBytes(dir.resolve("tls.key")));
  }

  public static ServingCertificate load(Path dir) throws InvalidException {
    byte[] certificate;
    byte[] key;
    try {
      certificate = Files.readAllBytes(dir.resolve("tls.crt"));
      key = Files.readAllBytes(dir.resolve("tls.key"));
    } catch (IOException e) {
      throw new InvalidException("cannot read tls.crt and tls.key in " + dir, e);
    }
    try {
      Keys keys =
          Keys.builder()
              .pem(
                  pem ->
                      pem.certChain(Resource.create("tls.crt", certificate))
                          .key(Resource.create("tls.key", key)))
              .build();
      PrivateKey privateKey =
          keys.privateKey().orElseThrow(() -> new IllegalArgumentException("no private key"));
      List<X509Certificate> chain = keys.certChain();
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("no certificate");
      }
      requireMatch(privateKey, chain.getFirst());
      Tls tls = Tls.builder().privateKey(privateKey).privateKeyCertChain(chain).build();
      return new ServingCertificate(tls, Sha256.ofParts(certificate, key), chain.getFirst());
    } catch (RuntimeException | GeneralSecurityException e) {
      throw new InvalidException("invalid certificate or key in " + dir + ": " + e.getMessage(), e);
    }
  }

  public Tls tls() {
    return tls;
  }

  /**
   * Why the certificate cannot be served at {@code now}, if it cannot: expired or not yet valid.
   */
  public java.util.Optional<String> invalidAt(java.time.Instant now) {
    if (now.isAfter(leaf.getNotAfter().toInstant())) {
      return java.util.Optional.of("the certificate expired at " + leaf.getNotAfter().toInstant());
    }
    if (now.isBefore(leaf.getNotBefore().toInstant())) {
      return java.util.Optional.of(
          "the certificate is not valid before " + leaf.getNotBefore().toInstant());
    }
    return java.util.Optional.empty();
  }

  /** Whether the files this was loaded from still have {@code digest}. */
  public boolean sameFiles(byte[] otherDigest) {
    return Arrays.equals(digest, otherDigest);
  }

  private static void requireMatch(PrivateKey key, X509Certificate certificate)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default ->
              throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    byte[] challenge = "kubernaut-gateway".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(challenge);
    if (!verifier.verify(signature)) {
      throw new IllegalArgumentException("tls.key does not belong to the certificate in tls.crt");
    }
  }
}
