package ai.kubernaut.gateway.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code cors} block. Each key falls back to its {@code CORS_*} environment variable when
 * the file does not set it, then to go-chi/cors's defaults as the Go Gateway applies them.
 */
final class CorsSettings {

  private CorsSettings() {}

  static GatewayConfig.Cors read(ConfigReader r, Map<String, String> env) {
    return new GatewayConfig.Cors(
        list(r, env, "cors.allowedOrigins", "CORS_ALLOWED_ORIGINS", List.of("*")),
        list(
                r,
                env,
                "cors.allowedMethods",
                "CORS_ALLOWED_METHODS",
                List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
            .stream()
            .map(m -> m.toUpperCase(Locale.ROOT))
            .toList(),
        list(
            r,
            env,
            "cors.allowedHeaders",
            "CORS_ALLOWED_HEADERS",
            List.of("Accept", "Authorization", "Content-Type", "X-Request-ID")),
        list(
            r,
            env,
            "cors.exposedHeaders",
            "CORS_EXPOSED_HEADERS",
            List.of("Link", "X-Request-ID", "X-Total-Count")),
        r.bool("cors.allowCredentials", allowCredentials(r, env)),
        Duration.ofSeconds(r.integer("cors.maxAge", maxAge(r, env), 0, 86_400)));
  }

  private static List<String> list(
      ConfigReader r, Map<String, String> env, String key, String variable, List<String> fallback) {
    String fromEnv = env.get(variable);
    List<String> envOrDefault =
        fromEnv == null
            ? fallback
            : Arrays.stream(fromEnv.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    return r.strings(key, envOrDefault);
  }

  private static boolean allowCredentials(ConfigReader r, Map<String, String> env) {
    String fromEnv = env.get("CORS_ALLOW_CREDENTIALS");
    if (fromEnv == null) {
      return false;
    }
    String value = fromEnv.trim().toLowerCase(Locale.ROOT);
    r.require(
        value.equals("true") || value.equals("false"),
        "CORS_ALLOW_CREDENTIALS",
        fromEnv,
        "true or false");
    return value.equals("true");
  }

  private static int maxAge(ConfigReader r, Map<String, String> env) {
    String fromEnv = env.get("CORS_MAX_AGE");
    if (fromEnv == null) {
      return 300;
    }
    try {
      int seconds = Integer.parseInt(fromEnv.trim());
      r.require(seconds >= 0 && seconds <= 86_400, "CORS_MAX_AGE", fromEnv, "0 to 86400 seconds");
      return Math.clamp(seconds, 0, 86_400);
    } catch (NumberFormatException e) {
      r.require(false, "CORS_MAX_AGE", fromEnv, "a number of seconds");
      return 300;
    }
  }
}
