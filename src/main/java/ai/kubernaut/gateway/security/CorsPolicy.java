package ai.kubernaut.gateway.security;

import ai.kubernaut.gateway.config.GatewayConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which CORS headers answer a browser request. A disallowed origin, method or header gets
 * no CORS headers at all, so the browser blocks the call. With credentials allowed, a wildcard
 * origin is answered with the caller's origin: browsers refuse {@code *} together with credentials.
 */
public final class CorsPolicy {

  private final List<String> origins;
  private final boolean anyOrigin;
  private final Set<String> methods;
  private final Set<String> headers;
  private final boolean anyHeader;
  private final String exposed;
  private final boolean credentials;
  private final long maxAgeSeconds;

  public CorsPolicy(GatewayConfig.Cors cors) {
    this.origins = cors.allowedOrigins().stream().map(CorsPolicy::lower).toList();
    this.anyOrigin = origins.contains("*");
    this.methods =
        cors.allowedMethods().stream()
            .map(m -> m.toUpperCase(Locale.ROOT))
            .collect(Collectors.toSet());
    this.headers =
        cors.allowedHeaders().stream().map(CorsPolicy::lower).collect(Collectors.toSet());
    this.anyHeader = headers.contains("*");
    this.exposed = String.join(", ", cors.exposedHeaders());
    this.credentials = cors.allowCredentials();
    this.maxAgeSeconds = cors.maxAge().toSeconds();
  }

  /** Whether every browser origin may call. */
  public boolean allowsAnyOrigin() {
    return anyOrigin;
  }

  public boolean allowsCredentials() {
    return credentials;
  }

  /**
   * The headers answering a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method});
   * empty when the call is not allowed.
   */
  public Map<String, String> preflight(
      String origin, String requestedMethod, List<String> requestedHeaders) {
    String method = requestedMethod.trim().toUpperCase(Locale.ROOT);
    if (!originAllowed(origin) || !methods.contains(method)) {
      return Map.of();
    }
    if (!anyHeader
        && !requestedHeaders.stream().map(CorsPolicy::lower).allMatch(headers::contains)) {
      return Map.of();
    }
    Map<String, String> answer = new LinkedHashMap<>();
    answer.put("Access-Control-Allow-Origin", allowOrigin(origin));
    answer.put("Access-Control-Allow-Methods", method);
    if (!requestedHeaders.isEmpty()) {
      answer.put("Access-Control-Allow-Headers", String.join(", ", requestedHeaders));
    }
    if (credentials) {
      answer.put("Access-Control-Allow-Credentials", "true");
    }
    if (maxAgeSeconds > 0) {
      answer.put("Access-Control-Max-Age", Long.toString(maxAgeSeconds));
    }
    return answer;
  }

  /** The headers added to an actual cross-origin request; empty when it is not allowed. */
  public Map<String, String> actual(String origin, String method) {
    if (!originAllowed(origin) || !methods.contains(method.toUpperCase(Locale.ROOT))) {
      return Map.of();
    }
    Map<String, String> answer = new LinkedHashMap<>();
    answer.put("Access-Control-Allow-Origin", allowOrigin(origin));
    if (!exposed.isEmpty()) {
      answer.put("Access-Control-Expose-Headers", exposed);
    }
    if (credentials) {
      answer.put("Access-Control-Allow-Credentials", "true");
    }
    return answer;
  }

  private String allowOrigin(String origin) {
    return anyOrigin && !credentials ? "*" : origin;
  }

  private boolean originAllowed(String origin) {
    if (origin.isBlank()) {
      return false;
    }
    if (anyOrigin) {
      return true;
    }
    String candidate = lower(origin);
    return origins.stream().anyMatch(allowed -> matches(allowed, candidate));
  }

  private static boolean matches(String allowed, String origin) {
    int star = allowed.indexOf('*');
    if (star < 0) {
      return allowed.equals(origin);
    }
    String prefix = allowed.substring(0, star);
    String suffix = allowed.substring(star + 1);
    return origin.length() >= prefix.length() + suffix.length()
        && origin.startsWith(prefix)
        && origin.endsWith(suffix);
  }

  private static String lower(String text) {
    return text.trim().toLowerCase(Locale.ROOT);
  }
}
