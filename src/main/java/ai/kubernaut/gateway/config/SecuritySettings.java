package ai.kubernaut.gateway.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads the {@code auth}, {@code freshness}, {@code limits}, proxy-trust and CORS settings. */
final class SecuritySettings {

  private SecuritySettings() {}

  static GatewayConfig.Security read(ConfigReader r, Map<String, String> env) {
    return new GatewayConfig.Security(
        auth(r), freshness(r), trustedProxies(r, env), limits(r), CorsSettings.read(r, env));
  }

  private static GatewayConfig.Auth auth(ConfigReader r) {
    return new GatewayConfig.Auth(
        r.oneOf(
            "auth.mode",
            GatewayConfig.Security.AUTH_KUBERNETES,
            List.of(GatewayConfig.Security.AUTH_KUBERNETES, GatewayConfig.Security.AUTH_NONE)),
        r.string("auth.resource", "services"),
        r.string("auth.resourceName", "gateway-service"),
        r.string("auth.namespace", ""),
        r.duration("auth.cacheTtl", Duration.ofSeconds(60), d -> true, "0 (no caching) or more"),
        r.duration(
            "auth.negativeCacheTtl", Duration.ofSeconds(10), d -> true, "0 (no caching) or more"),
        r.integer("auth.cacheSize", 10_000, 0, 1_000_000),
        r.strings("auth.audiences", List.of()),
        r.integer("auth.reviewsPerSecond", 20, 0, 100_000));
  }

  private static GatewayConfig.Freshness freshness(ConfigReader r) {
    return new GatewayConfig.Freshness(
        r.bool("freshness.enabled", true),
        r.duration("freshness.maxAge", Duration.ofMinutes(5), d -> !d.isZero(), "above 0"),
        r.duration("freshness.maxClockSkew", Duration.ofMinutes(2), d -> true, "0 or more"));
  }

  private static List<String> trustedProxies(ConfigReader r, Map<String, String> env) {
    List<String> fromFile = r.strings("middleware.trustedProxyCIDRs", List.of());
    String fromEnv = env.get("TRUSTED_PROXY_CIDRS");
    if (fromEnv == null) {
      return fromFile;
    }
    return Arrays.stream(fromEnv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static GatewayConfig.Limits limits(ConfigReader r) {
    return new GatewayConfig.Limits(
        r.integer("limits.maxAlerts", 1000, 1, 100_000),
        r.integer("limits.maxLabels", 128, 1, 10_000),
        r.integer("limits.maxLabelKeyLength", 316, 1, 65_536),
        r.integer("limits.maxLabelValueLength", 16_384, 1, 262_144),
        r.integer("limits.maxDepth", 32, 4, 1000),
        r.integer("limits.maxStringLength", 65_536, 64, 262_144));
  }
}
