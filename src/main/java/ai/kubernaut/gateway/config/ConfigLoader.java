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
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

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
            ServerSettings.read(r),
            AuditSettings.dataStorage(r),
            processing(r),
            new GatewayConfig.Logging(
                r.oneOf("logging.level", "INFO", List.of("DEBUG", "INFO", "WARN", "ERROR")),
                r.oneOf("logging.format", "auto", List.of("auto", "json", "console")),
                r.duration(
                    "logging.reloadInterval",
                    Duration.ofSeconds(2),
                    d -> d.compareTo(Duration.ofMillis(10)) >= 0,
                    "at least 10ms")),
            AuditSettings.audit(r, env),
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

  private static GatewayConfig.Debug debug(ConfigReader r) {
    if (r.isSet("server.disableProfiling")) {
      log.warn(
          "server.disableProfiling is obsolete and ignored: profiling is off unless"
              + " debug.pprofEnabled is true");
    }
    return new GatewayConfig.Debug(r.bool("debug.pprofEnabled", false));
  }

  private GatewayConfig.Telemetry telemetry(ConfigReader r) {
    String endpoint =
        r.httpUrlOrEmpty(
            "telemetry.endpoint", "", "an http(s) URL of an OTLP/HTTP receiver, or empty");
    Map<String, String> otel = new java.util.HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            otel.put(name, value);
          }
        });
    return new GatewayConfig.Telemetry(
        endpoint,
        otel,
        CaBundleVariables.bundles(
            env, CaBundleVariables.TLS_CA_FILE, CaBundleVariables.SSL_CERT_FILE));
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
