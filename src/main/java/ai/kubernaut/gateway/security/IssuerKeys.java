package ai.kubernaut.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's service account token issuer keys, for telling a token the cluster signed from junk
 * before any review. A token whose JWT signature verifies against one of the keys, whose {@code
 * iss} is the issuer and which has not expired only waits in a review budget of its own; it is
 * still reviewed, and the TokenReview alone decides whether it is valid.
 *
 * <p>Keys are fetched when first needed and again when a token names a key id not yet known (keys
 * are rotated), at most once per {@code refreshInterval}, so tokens with made-up key ids cannot
 * turn into a flood of fetches. Requests never wait for another request's fetch.
 */
public final class IssuerKeys implements TokenSignatures {

  private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The issuer discovery documents as the API server serves them. */
  public record Documents(String issuer, String jwks) {}

  /** Where the documents come from. */
  public interface Source {
    /**
     * Fetches the documents.
     *
     * @throws IOException when they cannot be fetched now
     */
    Documents fetch() throws IOException;
  }

  private record Key(String kty, PublicKey key) {}

  private final Source source;
  private final Clock clock;
  private final Duration refreshInterval;
  private final ReentrantLock fetching = new ReentrantLock();
  private volatile Map<String, Key> keys = Map.of();
  private volatile String issuer;
  private volatile Instant lastFetch = Instant.MIN;

  public IssuerKeys(Source source, Clock clock, Duration refreshInterval) {
    this.source = source;
    this.clock = clock;
    this.refreshInterval = refreshInterval;
  }

  /**
   * The bytes of {@code part}, or null unless it is their one canonical base64url spelling (no
   * padding, unused trailing bits zero): a decoder that ignores those bits would let one signed
   * token be sent under many cache keys.
   */
  private static byte[] canonicalBase64Url(String part) {
    byte[] bytes = Base64.getUrlDecoder().decode(part);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)
        ? bytes
        : null;
  }

  @Override
  public boolean signedAndUnexpired(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return false;
    }
    try {
      byte[][] decoded = new byte[3][];
      for (int i = 0; i < 3; i++) {
        decoded[i] = canonicalBase64Url(parts[i]);
        if (decoded[i] == null) {
          return false; // another spelling of some token's bytes: one token, one cache key
        }
      }
      JsonNode header = JSON.readTree(decoded[0]);
      JsonNode claims = JSON.readTree(decoded[1]);
      if (header == null || claims == null) {
        return false;
      }
      Optional<String> algorithm = jcaAlgorithm(header.path("alg").asText());
      String kid = header.path("kid").asText("");
      if (algorithm.isEmpty() || !unexpired(claims)) {
        return false;
      }
      Key key = keyFor(kid);
      if (key == null || !claims.path("iss").asText("").equals(issuer)) {
        return false;
      }
      if (!key.kty().equals(header.path("alg").asText().startsWith("ES") ? "EC" : "RSA")) {
        return false;
      }
      Signature signature = Signature.getInstance(algorithm.get());
      signature.initVerify(key.key());
      signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return signature.verify(decoded[2]);
    } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  private boolean unexpired(JsonNode claims) {
    JsonNode exp = claims.get("exp");
    if (exp == null || !exp.canConvertToLong()) {
      return false;
    }
    long now = clock.instant().getEpochSecond();
    JsonNode nbf = claims.get("nbf");
    return exp.asLong() > now && (nbf == null || !nbf.canConvertToLong() || nbf.asLong() <= now);
  }

  private Key keyFor(String kid) {
    Key key = keys.get(kid);
    if (key != null) {
      return key;
    }
    if (!fetching.tryLock()) {
      return null;
    }
    try {
      Instant now = clock.instant();
      if (lastFetch.plus(refreshInterval).isAfter(now)) {
        return null;
      }
      lastFetch = now;
      refresh();
      return keys.get(kid);
    } finally {
      fetching.unlock();
    }
  }

  private void refresh() {
    try {
      Documents documents = source.fetch();
      Map<String, Key> fresh = new HashMap<>();
      for (JsonNode jwk : JSON.readTree(documents.jwks()).path("keys")) {
        try {
          fresh.put(jwk.path("kid").asText(""), parse(jwk));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          log.debug("skipping an issuer key that cannot be read", e);
        }
      }
      issuer = documents.issuer();
      keys = Map.copyOf(fresh);
      log.debug("service account issuer {}: {} keys", issuer, fresh.size());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "service account issuer keys could not be read ({}): tokens the cluster signed wait"
              + " with the rest for review",
          e.toString());
    }
  }

  private static Key parse(JsonNode jwk) throws GeneralSecurityException {
    Base64.Decoder b64 = Base64.getUrlDecoder();
    String kty = jwk.path("kty").asText();
    if (kty.equals("RSA")) {
      BigInteger n = new BigInteger(1, b64.decode(jwk.path("n").asText()));
      BigInteger e = new BigInteger(1, b64.decode(jwk.path("e").asText()));
      return new Key(kty, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
    }
    if (kty.equals("EC")) {
      String curve =
          switch (jwk.path("crv").asText()) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw new GeneralSecurityException("unknown curve");
          };
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve));
      ECPoint point =
          new ECPoint(
              new BigInteger(1, b64.decode(jwk.path("x").asText())),
              new BigInteger(1, b64.decode(jwk.path("y").asText())));
      return new Key(
          kty,
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class))));
    }
    throw new GeneralSecurityException("unsupported key type " + kty);
  }

  /** The JCA name of a JWS algorithm the API server may sign with; ECDSA in JWS's r||s form. */
  private static Optional<String> jcaAlgorithm(String alg) {
    return Optional.ofNullable(
        switch (alg) {
          case "RS256" -> "SHA256withRSA";
          case "RS384" -> "SHA384withRSA";
          case "RS512" -> "SHA512withRSA";
          case "ES256" -> "SHA256withECDSAinP1363Format";
          case "ES384" -> "SHA384withECDSAinP1363Format";
          case "ES512" -> "SHA512withECDSAinP1363Format";
          default -> null;
        });
  }
}
