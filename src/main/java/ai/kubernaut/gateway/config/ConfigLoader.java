package ai.kubernaut.gateway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the configuration file over the built-in defaults and validates it in one pass. */
public final class ConfigLoader {

  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  private static final String DEFAULT_CONTROLLER_NAMESPACE = "kubernaut-system";
  private static final String TLS_CA_FILE = "TLS_CA_FILE";
  private static final String SSL_CERT_FILE = "SSL_CERT_FILE";
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  private static final Path SERVICE_ACCOUNT_TOKEN =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final Map<String, String> env;
  private final Path serviceAccountNamespaceFile;

  public ConfigLoader(Map<String, String> env, Path serviceAccountNamespaceFile) {
    this.env = Map.copyOf(env);
    this.serviceAccountNamespaceFile = serviceAccountNamespaceFile;
  }

  /** A loader reading the process environment and the pod's service-account namespace file. */
  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(System.getenv(), SERVICE_ACCOUNT_NAMESPACE);
  }

  /**
   * Loads {@code file} (or only the defaults when empty).
   *
   * @throws ConfigException naming every invalid key
   */
  public GatewayConfig load(Optional<Path> file) {
    JsonNode root = file.map(ConfigLoader::readYaml).orElse(null);
    ConfigReader r = new ConfigReader(root);
    GatewayConfig config =
        new GatewayConfig(
            server(r),
            dataStorage(r),
            processing(r),
            new GatewayConfig.Logging(
                r.oneOf("logging.level", "INFO", List.of("DEBUG", "INFO", "WARN", "ERROR")),
                r.oneOf("logging.format", "auto", List.of("auto", "json", "console")),
                r.duration(
                    "logging.reloadInterval",
                    Duration.ofSeconds(2),
                    d -> d.compareTo(Duration.ofMillis(10)) >= 0,
                    "at least 10ms")),
            audit(r),
            new GatewayConfig.Embedded(
                r.integer("embedded.apiPort", 0, 0, 65535),
                Path.of(
                    r.string(
                        "embedded.kubeconfig",
                        Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "kubernaut-gateway",
                                "embedded.kubeconfig")
                            .toString()))),
            identity(r),
            new GatewayConfig.Kubernetes(
                r.duration(
                    "kubernetes.discoveryRefresh",
                    Duration.ofMinutes(5),
                    d -> d.compareTo(Duration.ofMillis(100)) >= 0,
                    "at least 100ms"),
                r.duration(
                    "kubernetes.cacheSyncTimeout",
                    Duration.ofSeconds(30),
                    d -> d.compareTo(Duration.ofSeconds(1)) >= 0,
                    "at least 1s")),
            AuthenticationSwitch.apply(r, SecuritySettings.read(r, env)),
            telemetry(r),
            debug(r),
            new ConfigSource(file, this, r.presentKeys(), r.unknownKeys(), r.readKeys()));
    if (!r.problems().isEmpty()) {
      throw new ConfigException(r.problems());
    }
    if (root != null && !r.unknownKeys().isEmpty()) {
      log.info("ignoring config keys this gateway does not use: {}", r.unknownKeys());
    }
    return config;
  }

  private static GatewayConfig.Server server(ConfigReader r) {
    Duration writeTimeout =
        r.duration(
            "server.writeTimeout",
            Duration.ofSeconds(30),
            d -> d.isZero() || d.compareTo(Duration.ofSeconds(5)) >= 0,
            "0 or at least 5s");
    Duration k8sTimeout =
        r.duration(
            "server.k8sRequestTimeout",
            Duration.ofSeconds(15),
            d -> d.isZero() || d.compareTo(Duration.ofSeconds(1)) >= 0,
            "0 (off) or at least 1s");
    r.require(
        k8sTimeout.isZero() || writeTimeout.isZero() || k8sTimeout.compareTo(writeTimeout) < 0,
        "server.k8sRequestTimeout",
        GoDuration.format(k8sTimeout),
        "shorter than server.writeTimeout (" + GoDuration.format(writeTimeout) + ")");
    return new GatewayConfig.Server(
        r.address("server.listenAddr", ":8080"),
        r.address("server.healthAddr", ":8081"),
        r.address("server.metricsAddr", ":9090"),
        r.integer("server.maxConcurrentRequests", 100, 0, 10_000),
        r.integer("server.maxConnections", 1000, 0, 1_000_000),
        r.duration(
            "server.readHeaderTimeout",
            Duration.ofSeconds(5),
            d -> d.compareTo(Duration.ofMillis(100)) >= 0,
            "at least 100ms"),
        r.duration(
            "server.readTimeout",
            Duration.ofSeconds(30),
            d -> d.isZero() || d.compareTo(Duration.ofSeconds(1)) >= 0,
            "0 or at least 1s"),
        writeTimeout,
        r.duration(
            "server.idleTimeout",
            Duration.ofSeconds(120),
            d -> d.isZero() || d.compareTo(Duration.ofSeconds(30)) >= 0,
            "0 or at least 30s"),
        k8sTimeout,
        r.duration(
            "server.shutdownTimeout", Duration.ofSeconds(30), d -> !d.isNegative(), "not negative"),
        serverTls(r),
        r.integer("server.maxConnectionsPerClient", 100, 0, 1_000_000));
  }

  private static GatewayConfig.ServerTls serverTls(ConfigReader r) {
    String certDir = r.string("server.tls.certDir", "").trim();
    return new GatewayConfig.ServerTls(
        certDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(certDir)),
        r.duration(
            "server.tls.reloadInterval",
            Duration.ofSeconds(10),
            d -> d.compareTo(Duration.ofMillis(100)) >= 0,
            "at least 100ms"));
  }

  private static GatewayConfig.Debug debug(ConfigReader r) {
    if (r.isSet("server.disableProfiling")) {
      log.warn(
          "server.disableProfiling is obsolete and ignored: profiling is off unless"
              + " debug.pprofEnabled is true");
    }
    return new GatewayConfig.Debug(r.bool("debug.pprofEnabled", false));
  }

  private GatewayConfig.Telemetry telemetry(ConfigReader r) {
    String endpoint = r.string("telemetry.endpoint", "").trim();
    r.require(
        endpoint.isEmpty() || isHttpUrl(endpoint),
        "telemetry.endpoint",
        endpoint,
        "an http(s) URL of an OTLP/HTTP receiver, or empty");
    Map<String, String> otel = new java.util.HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            otel.put(name, value);
          }
        });
    return new GatewayConfig.Telemetry(
        endpoint, otel, environmentBundles(TLS_CA_FILE, SSL_CERT_FILE));
  }

  /** The PEM bundles named by these variables (the kubernaut operator sets both), when set. */
  private List<Path> environmentBundles(String... variables) {
    List<Path> bundles = new java.util.ArrayList<>();
    for (String variable : variables) {
      String value = env.getOrDefault(variable, "").trim();
      if (!value.isEmpty()) {
        bundles.add(Path.of(value));
      }
    }
    return bundles;
  }

  private static GatewayConfig.Processing processing(ConfigReader r) {
    Duration initial =
        r.duration(
            "processing.retry.initialBackoff",
            Duration.ofMillis(100),
            d -> d.compareTo(Duration.ofSeconds(5)) <= 0,
            "from 0 to 5s");
    Duration max =
        r.duration(
            "processing.retry.maxBackoff",
            Duration.ofSeconds(5),
            d -> d.compareTo(Duration.ofSeconds(30)) <= 0,
            "at most 30s");
    r.require(
        max.compareTo(initial) >= 0,
        "processing.retry.maxBackoff",
        GoDuration.format(max),
        "at least processing.retry.initialBackoff (" + GoDuration.format(initial) + ")");
    return new GatewayConfig.Processing(
        new GatewayConfig.Retry(r.integer("processing.retry.maxAttempts", 3, 1, 10), initial, max),
        r.integer("processing.groupCommit.maxSignals", 500, 1, 100_000),
        r.duration(
            "processing.groupCommit.burstLinger",
            Duration.ofMillis(5),
            d -> d.compareTo(Duration.ofSeconds(1)) <= 0,
            "at most 1s"),
        r.oneOf("processing.resolvedAlerts", "ignore", List.of("ignore", "as-firing"))
                .equals("ignore")
            ? GatewayConfig.ResolvedAlerts.IGNORE
            : GatewayConfig.ResolvedAlerts.AS_FIRING);
  }

  private static GatewayConfig.DataStorage dataStorage(ConfigReader r) {
    String url = r.string("datastorage.url", "http://data-storage-service:8080").trim();
    r.require(
        url.isEmpty() || isHttpUrl(url),
        "datastorage.url",
        url,
        "an http(s) URL, or empty to keep audit events in audit.file");
    String healthUrl =
        r.string("datastorage.healthUrl", "http://data-storage-service:8080/readyz").trim();
    r.require(
        url.isEmpty() || isHttpUrl(healthUrl),
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

  private GatewayConfig.Audit audit(ConfigReader r) {
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
    String caFile = r.string("audit.caFile", env.getOrDefault(TLS_CA_FILE, "")).trim();
    List<Path> caBundles = new java.util.ArrayList<>();
    if (!caFile.isEmpty()) {
      caBundles.add(Path.of(caFile));
    }
    caBundles.addAll(environmentBundles(SSL_CERT_FILE));
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

  private static boolean isHttpUrl(String text) {
    try {
      java.net.URI uri = new java.net.URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private GatewayConfig.Identity identity(ConfigReader r) {
    String controllerNamespace = DEFAULT_CONTROLLER_NAMESPACE;
    String fromEnv = env.get("KUBERNAUT_CONTROLLER_NAMESPACE");
    if (fromEnv != null) {
      controllerNamespace = fromEnv.trim();
      r.require(
          !controllerNamespace.isEmpty(),
          "KUBERNAUT_CONTROLLER_NAMESPACE",
          fromEnv,
          "a namespace name when set");
    } else if (serviceAccountNamespaceFile != null
        && Files.isReadable(serviceAccountNamespaceFile)) {
      try {
        controllerNamespace = Files.readString(serviceAccountNamespaceFile).trim();
      } catch (IOException e) {
        r.require(false, "serviceaccount namespace", serviceAccountNamespaceFile, "readable");
      }
    }
    return new GatewayConfig.Identity(
        controllerNamespace,
        env.getOrDefault("POD_NAME", "").trim(),
        env.getOrDefault("POD_NAMESPACE", DEFAULT_CONTROLLER_NAMESPACE).trim(),
        r.string("cluster.id", "").trim());
  }

  private static JsonNode readYaml(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (JacksonException e) {
      throw new ConfigException(
          List.of(
              "invalid config file "
                  + file
                  + ": not valid YAML at line "
                  + e.getLocation().getLineNr()
                  + ": "
                  + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()));
    }
  }
}
