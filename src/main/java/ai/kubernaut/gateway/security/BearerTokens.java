package ai.kubernaut.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the form of a bearer token tells before anyone reviews it. Kubernetes tokens (service
 * account JWTs, bootstrap tokens, static tokens) are RFC 6750 {@code b64token}s of a few hundred to
 * a couple of thousand characters; anything else can be refused without asking the API server.
 */
final class BearerTokens {

  /** Longer than any service account JWT with bound claims, far shorter than a flood's junk. */
  static final int MAX_LENGTH = 4096;

  private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private BearerTokens() {}

  /** False when {@code token} cannot be a token the API server would authenticate. */
  static boolean plausible(String token) {
    return !token.isEmpty() && token.length() <= MAX_LENGTH && B64TOKEN.matcher(token).matches();
  }

  /**
   * The {@code exp} claim of a JWT, read without verifying the signature: it only shortens how long
   * an approval is remembered, never grants anything. Empty when the token is not a JWT or carries
   * no numeric {@code exp}.
   */
  static Optional<Instant> expiry(String token) {
    return claim(token, "exp")
        .filter(exp -> exp.isNumber() && exp.canConvertToLong())
        .flatMap(
            exp -> {
              try {
                return Optional.of(Instant.ofEpochSecond(exp.asLong()));
              } catch (java.time.DateTimeException e) {
                return Optional.empty();
              }
            });
  }

  /**
   * The {@code sub} claim of a JWT, read without verifying the signature: it only chooses which
   * review budget a token waits in, never grants anything.
   */
  static Optional<String> subject(String token) {
    return claim(token, "sub").filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  private static Optional<JsonNode> claim(String token, String name) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[1].isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return Optional.ofNullable(claims == null ? null : claims.get(name));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
