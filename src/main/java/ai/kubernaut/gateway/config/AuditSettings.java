package ai.kubernaut.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code datastorage} settings (where audit events go) and the {@code audit} settings
 * (how they are kept and delivered).
 */
final class AuditSettings {

  private static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private AuditSettings() {}

  static GatewayConfig.DataStorage dataStorage(ConfigReader r) {
    String url =
        r.httpUrlOrEmpty(
            "datastorage.url",
            "http://data-storage-service:8080",
            "an http(s) URL, or empty to keep audit events in audit.file");
    String healthUrl =
        r.string("datastorage.healthUrl", "http://data-storage-service:8080/readyz").trim();
    r.require(
        url.isEmpty() || ConfigReader.isHttpUrl(healthUrl),
        "datastorage.healthUrl",
        healthUrl,
        "an http(s) URL");
    return new GatewayConfig.DataStorage(
        url,
        healthUrl,
        r.duration("datastorage.timeout", Duration.ofSeconds(10), d -> !d.isZero(), "above 0"),
        r.integer("datastorage.buffer.batchSize", 100, 1, 10_000),
        r.duration(
            "datastorage.buffer.flushInterval",
            Duration.ofSeconds(1),
            d -> !d.isZero(),
            "above 0"));
  }

  /**
   * The {@code audit} settings; {@code TLS_CA_FILE} is the default of {@code audit.caFile}, and the
   * bundle {@code SSL_CERT_FILE} names is trusted too.
   */
  static GatewayConfig.Audit audit(ConfigReader r, Map<String, String> env) {
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "kubernaut-gateway");
    Duration initial =
        r.duration(
            "audit.retry.initialBackoff", Duration.ofSeconds(1), d -> !d.isZero(), "above 0");
    Duration max =
        r.duration("audit.retry.maxBackoff", Duration.ofSeconds(30), d -> !d.isZero(), "above 0");
    r.require(
        max.compareTo(initial) >= 0,
        "audit.retry.maxBackoff",
        GoDuration.format(max),
        "at least audit.retry.initialBackoff (" + GoDuration.format(initial) + ")");
    String caFile =
        r.string("audit.caFile", env.getOrDefault(CaBundleVariables.TLS_CA_FILE, "")).trim();
    List<Path> caBundles = new java.util.ArrayList<>();
    if (!caFile.isEmpty()) {
      caBundles.add(Path.of(caFile));
    }
    caBundles.addAll(CaBundleVariables.bundles(env, CaBundleVariables.SSL_CERT_FILE));
    return new GatewayConfig.Audit(
        Path.of(r.string("audit.file", workDir.resolve("audit.jsonl").toString())),
        new GatewayConfig.AuditSpool(
            Path.of(r.string("audit.spool.directory", workDir.resolve("audit-spool").toString())),
            r.longInteger("audit.spool.maxBytes", 512L * 1024 * 1024, 64 * 1024, Long.MAX_VALUE),
            GatewayConfig.OnFull.valueOf(
                r.oneOf("audit.spool.onFull", "reject", List.of("reject", "drop"))
                    .toUpperCase(java.util.Locale.ROOT))),
        r.bool("audit.dataStorageGatesReadiness", false),
        Path.of(r.string("audit.tokenFile", SERVICE_ACCOUNT_TOKEN.toString())),
        caBundles,
        initial,
        max,
        r.duration(
            "audit.dataStorageProbeInterval", Duration.ofSeconds(15), d -> !d.isZero(), "above 0"));
  }
}
