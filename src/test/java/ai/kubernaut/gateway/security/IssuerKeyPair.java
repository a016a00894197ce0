package ai.kubernaut.gateway.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/** A token issuer's key pair as a cluster has one: signs JWTs and publishes itself as a JWK. */
public final class IssuerKeyPair {

  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

  private final String kid;
  private final String alg;
  private final KeyPair pair;

  private IssuerKeyPair(String kid, String alg, KeyPair pair) {
    this.kid = kid;
    this.alg = alg;
    this.pair = pair;
  }

  public static IssuerKeyPair rsa(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new IssuerKeyPair(kid, "RS256", generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static IssuerKeyPair ec(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new IssuerKeyPair(kid, "ES256", generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWKS document holding the public halves of {@code keys}. */
  public static String jwks(IssuerKeyPair... keys) {
    return "{\"keys\":["
        + String.join(",", Arrays.stream(keys).map(IssuerKeyPair::jwk).toList())
        + "]}";
  }

  /** The issuer discovery document an API server serves for {@link #ISSUER}. */
  public static String openIdConfiguration() {
    return "{\"issuer\":\""
        + ISSUER
        + "\",\"jwks_uri\":\""
        + ISSUER
        + "/openid/v1/jwks\",\"response_types_supported\":[\"id_token\"]}";
  }

  private String jwk() {
    if (pair.getPublic() instanceof RSAPublicKey rsa) {
      return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"%s\",\"n\":\"%s\",\"e\":\"%s\"}"
          .formatted(kid, b64(unsigned(rsa.getModulus())), b64(unsigned(rsa.getPublicExponent())));
    }
    ECPublicKey ec = (ECPublicKey) pair.getPublic();
    return "{\"kty\":\"EC\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"%s\",\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}"
        .formatted(
            kid, b64(fixed(ec.getW().getAffineX(), 32)), b64(fixed(ec.getW().getAffineY(), 32)));
  }

  /** A service account token for {@code subject} expiring at {@code expiry}. */
  public String token(String subject, Instant expiry) {
    return token(subject, expiry, ISSUER);
  }

  public String token(String subject, Instant expiry, String issuer) {
    String header = b64(("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}").getBytes(UTF8));
    String claims =
        b64(
            ("{\"iss\":\"%s\",\"sub\":\"%s\",\"aud\":[\"%s\"],\"exp\":%d,\"iat\":%d}"
                    .formatted(
                        issuer,
                        subject,
                        ISSUER,
                        expiry.getEpochSecond(),
                        expiry.getEpochSecond() - 3600))
                .getBytes(UTF8));
    try {
      Signature signature =
          Signature.getInstance(
              alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
      signature.initSign(pair.getPrivate());
      signature.update((header + "." + claims).getBytes(UTF8));
      return header + "." + claims + "." + b64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static byte[] fixed(BigInteger n, int length) {
    byte[] bytes = unsigned(n);
    byte[] out = new byte[length];
    System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
    return out;
  }
}
