package ai.kubernaut.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's complete, validated configuration. Keys and defaults follow the Go Gateway's YAML
 * file; keys the Go Gateway does not have are marked in {@code README.md}.
 *
 * <p>One piece on purpose, although over 300 lines: it only declares the configuration's shape, one
 * nested record per section of the YAML file, so every use names a section as {@code
 * GatewayConfig.Server}, {@code GatewayConfig.Audit} and so on, as the file does. Reading, defaults
 * and validation live in {@link ConfigLoader} and the {@code *Settings} readers; what is here
 * besides the records is a few derived values and the copies embedded mode and a reload compare.
 */
public record GatewayConfig(
    Server server,
    DataStorage dataStorage,
    Processing processing,
    Logging logging,
    Audit audit,
    Embedded embedded,
    Identity identity,
    Kubernetes kubernetes,
    Security security,
    Telemetry telemetry,
    Debug debug,
    ConfigSource source) {

  /**
   * This configuration as embedded mode runs it: sender authentication off, and audit events in the
   * local file unless the configuration file names a DataStorage.
   */
  public GatewayConfig forEmbeddedMode() {
    GatewayConfig config = withoutSenderAuth();
    if (source.sets("datastorage.url")) {
      return config;
    }
    return new GatewayConfig(
        server,
        new DataStorage(
            "",
            dataStorage.healthUrl(),
            dataStorage.timeout(),
            dataStorage.batchSize(),
            dataStorage.flushInterval()),
        processing,
        logging,
        audit,
        embedded,
        identity,
        kubernetes,
        config.security,
        telemetry,
        debug,
        source);
  }

  /** This configuration with sender authentication off. */
  public GatewayConfig withoutSenderAuth() {
    return new GatewayConfig(
        server,
        dataStorage,
        processing,
        logging,
        audit,
        embedded,
        identity,
        kubernetes,
        new Security(
            security.auth().withMode(Security.AUTH_NONE),
            security.freshness(),
            security.trustedProxyCidrs(),
            security.limits(),
            security.cors()),
        telemetry,
        debug,
        source);
  }

  /**
   * Whether {@code other} differs from this configuration in more than the keys a running gateway
   * reloads ({@code logging.level}).
   */
  public boolean differsBeyondReloadable(GatewayConfig other) {
    GatewayConfig sameLevel =
        new GatewayConfig(
            other.server,
            other.dataStorage,
            other.processing,
            new Logging(logging.level(), other.logging.format(), other.logging.reloadInterval()),
            other.audit,
            other.embedded,
            other.identity,
            other.kubernetes,
            other.security,
            other.telemetry,
            other.debug,
            source);
    return !sameLevel.equals(this);
  }

  /**
   * Listeners, limits and timeouts.
   *
   * @param maxConnections the most TCP connections the API listener holds open; 0 for no limit
   * @param readHeaderTimeout how long a client may take to send a request's headers
   * @param readTimeout how long a client may take to send a whole request; 0 for no limit
   * @param maxConnectionsPerClient the most connections one client address holds open on the API
   *     listener; 0 for no limit
   */
  public record Server(
      ListenAddress listenAddr,
      ListenAddress healthAddr,
      ListenAddress metricsAddr,
      int maxConcurrentRequests,
      int maxConnections,
      Duration readHeaderTimeout,
      Duration readTimeout,
      Duration writeTimeout,
      Duration idleTimeout,
      Duration k8sRequestTimeout,
      Duration shutdownTimeout,
      ServerTls tls,
      int maxConnectionsPerClient) {

    /**
     * The longest one Kubernetes API request may last (the client's request timeout). A claimed
     * incident's create is only sent while a request that long ends within the claim's 30 s opening
     * window less 2 s, so it must stay below 28 s; {@link #MAX_K8S_PER_REQUEST_TIMEOUT} leaves room
     * for the claim's own write.
     */
    public static final Duration MAX_K8S_PER_REQUEST_TIMEOUT = Duration.ofSeconds(25);

    /**
     * The longest each step of setting up a new connection to the API server may take: the TCP
     * connect, then the TLS handshake as a whole. A create may reach the server that much after it
     * was sent, or more where several steps are slow (docs/guarantees.md).
     */
    public static final Duration MAX_K8S_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The shortest connect timeout, left where the per-request timeout takes the rest. */
    public static final Duration MIN_K8S_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** How long one request may take to be recorded before the sender gets 504. */
    public Duration requestDeadline() {
      return k8sRequestTimeout.isZero() ? writeTimeout : k8sRequestTimeout;
    }

    /**
     * How long one Kubernetes API request may last: half the request deadline, so that a write that
     * timed out leaves time to read back whether it was applied before the sender must be answered.
     */
    public Duration k8sPerRequestTimeout() {
      return requestDeadline().dividedBy(2);
    }

    /**
     * How long setting up a connection to the API server may take: {@link
     * #MAX_K8S_CONNECT_TIMEOUT}, less where the per-request timeout leaves less of {@link
     * #MAX_K8S_PER_REQUEST_TIMEOUT}, so that connecting and then waiting for the answer together
     * still fit a create within its claim's window.
     */
    public Duration k8sConnectTimeout() {
      Duration room = MAX_K8S_PER_REQUEST_TIMEOUT.minus(k8sPerRequestTimeout());
      if (room.compareTo(MAX_K8S_CONNECT_TIMEOUT) > 0) {
        return MAX_K8S_CONNECT_TIMEOUT;
      }
      return room.compareTo(MIN_K8S_CONNECT_TIMEOUT) < 0 ? MIN_K8S_CONNECT_TIMEOUT : room;
    }
  }

  /**
   * HTTPS on the API listener.
   *
   * @param certDir holds {@code tls.crt} and {@code tls.key} (PEM); empty for plain HTTP
   * @param reloadInterval how often the files are checked for a replaced certificate
   */
  public record ServerTls(Optional<Path> certDir, Duration reloadInterval) {}

  /**
   * Where audit events are delivered and in what batches. An empty {@code url} means no
   * DataStorage: events go to the local JSON-lines file.
   */
  public record DataStorage(
      String url, String healthUrl, Duration timeout, int batchSize, Duration flushInterval) {

    public boolean configured() {
      return !url.isBlank();
    }
  }

  /**
   * How signals are processed.
   *
   * @param resolvedAlerts what an alert with {@code "status": "resolved"} does
   */
  public record Processing(
      Retry retry,
      int groupCommitMaxSignals,
      Duration groupCommitBurstLinger,
      ResolvedAlerts resolvedAlerts) {}

  /**
   * A resolved alert is recorded without counting ({@code ignore}) or counted like a firing one.
   */
  public enum ResolvedAlerts {
    IGNORE,
    AS_FIRING
  }

  /** Retries of Kubernetes API writes. */
  public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {}

  /**
   * Tracing: off unless {@code endpoint} is set or the {@code OTEL_*} environment names an
   * exporter.
   *
   * @param endpoint the OTLP/HTTP endpoint traces go to when the environment names none
   * @param otelEnvironment the process's {@code OTEL_*} environment variables
   * @param caBundles PEM bundles the OTLP receiver's certificate is checked against besides the
   *     JDK's roots ({@code TLS_CA_FILE}, {@code SSL_CERT_FILE}) unless {@code OTEL_*} names a
   *     certificate
   */
  public record Telemetry(
      String endpoint,
      java.util.Map<String, String> otelEnvironment,
      java.util.List<Path> caBundles) {
    public Telemetry {
      otelEnvironment = java.util.Map.copyOf(otelEnvironment);
      caBundles = java.util.List.copyOf(caBundles);
    }
  }

  /**
   * Diagnostics served on the health listener.
   *
   * @param pprofEnabled serve a thread dump and JFR recordings under {@code /debug/pprof/}
   */
  public record Debug(boolean pprofEnabled) {}

  /**
   * Log level and format.
   *
   * @param reloadInterval how often the configuration file is checked for a new {@code level}
   */
  public record Logging(String level, String format, Duration reloadInterval) {}

  /**
   * The audit trail: the JSON-lines file used without DataStorage, and the spool and delivery
   * settings used with it.
   *
   * @param file the JSON-lines file
   * @param spool the local spool in front of DataStorage
   * @param dataStorageGatesReadiness whether an unreachable DataStorage makes readiness fail
   * @param tokenFile the service-account token sent to DataStorage
   * @param caBundles PEM bundles DataStorage's certificate is checked against besides the JDK's
   *     roots ({@code audit.caFile} or {@code TLS_CA_FILE}, then {@code SSL_CERT_FILE})
   * @param initialBackoff the pause after a first failed delivery
   * @param maxBackoff the longest pause between delivery attempts
   * @param dataStorageProbeInterval how often an idle gateway checks DataStorage's health
   */
  public record Audit(
      Path file,
      AuditSpool spool,
      boolean dataStorageGatesReadiness,
      Path tokenFile,
      java.util.List<Path> caBundles,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration dataStorageProbeInterval) {

    public Audit {
      caBundles = java.util.List.copyOf(caBundles);
    }
  }

  /** The spool's directory, size limit, and what happens to new signals when it is full. */
  public record AuditSpool(Path directory, long maxBytes, OnFull onFull) {}

  /** What a full spool does: refuse new signals (back-pressure) or drop their audit events. */
  public enum OnFull {
    REJECT,
    DROP
  }

  /** Settings of embedded mode's in-memory Kubernetes API. */
  public record Embedded(int apiPort, Path kubeconfig) {}

  /**
   * Who this replica is and where it works.
   *
   * @param controllerNamespace where RemediationRequests live
   * @param podName this replica's name
   * @param podNamespace this replica's namespace
   * @param clusterId the cluster this gateway serves, matched against signals' {@code cluster}
   *     label; empty to accept every cluster label
   */
  public record Identity(
      String controllerNamespace, String podName, String podNamespace, String clusterId) {}

  /**
   * How the gateway follows the cluster's API.
   *
   * @param discoveryRefresh how often the API resource registry is re-read from discovery
   * @param cacheSyncTimeout how long start-up waits for the metadata caches to sync
   */
  public record Kubernetes(Duration discoveryRefresh, Duration cacheSyncTimeout) {}

  /**
   * Sender authentication, replay protection, proxy trust and payload bounds.
   *
   * @param trustedProxyCidrs peers whose proxy headers name the client address
   * @param cors which browser origins may call the API listener
   */
  public record Security(
      Auth auth,
      Freshness freshness,
      java.util.List<String> trustedProxyCidrs,
      Limits limits,
      Cors cors) {

    public static final String AUTH_KUBERNETES = "kubernetes";
    public static final String AUTH_NONE = "none";

    public Security {
      trustedProxyCidrs = java.util.List.copyOf(trustedProxyCidrs);
    }
  }

  /**
   * How senders are authenticated: a TokenReview, then a SubjectAccessReview for {@code create} on
   * {@code resource/resourceName} in {@code namespace} (empty: the controller namespace).
   *
   * @param audiences the audiences a sender's token must be valid for; empty for the API server's
   * @param reviewsPerSecond how many tokens not decided recently may be reviewed a second; 0 for no
   *     limit
   */
  public record Auth(
      String mode,
      String resource,
      String resourceName,
      String namespace,
      Duration cacheTtl,
      Duration negativeCacheTtl,
      int cacheSize,
      java.util.List<String> audiences,
      int reviewsPerSecond) {

    public Auth {
      audiences = java.util.List.copyOf(audiences);
    }

    public Auth withMode(String newMode) {
      return new Auth(
          newMode,
          resource,
          resourceName,
          namespace,
          cacheTtl,
          negativeCacheTtl,
          cacheSize,
          audiences,
          reviewsPerSecond);
    }

    public boolean enabled() {
      return Security.AUTH_KUBERNETES.equals(mode);
    }
  }

  /**
   * Replay protection: how old a signal's timestamp may be and how far in the future.
   *
   * @param enabled off only for replaying recorded payloads in tests
   */
  public record Freshness(boolean enabled, Duration maxAge, Duration maxClockSkew) {}

  /** Bounds on a payload's shape, each answered with a problem naming the limit. */
  public record Limits(
      int maxAlerts,
      int maxLabels,
      int maxLabelKeyLength,
      int maxLabelValueLength,
      int maxDepth,
      int maxStringLength) {}

  /**
   * Cross-origin access for browsers, as go-chi/cors configures it.
   *
   * @param allowedOrigins origins that may call; {@code *} for any, or one {@code *} wildcard
   *     inside an origin such as {@code https://*.example.com}
   * @param maxAge how long a browser may cache a preflight answer; zero sends no {@code Max-Age}
   */
  public record Cors(
      java.util.List<String> allowedOrigins,
      java.util.List<String> allowedMethods,
      java.util.List<String> allowedHeaders,
      java.util.List<String> exposedHeaders,
      boolean allowCredentials,
      Duration maxAge) {

    public Cors {
      allowedOrigins = java.util.List.copyOf(allowedOrigins);
      allowedMethods = java.util.List.copyOf(allowedMethods);
      allowedHeaders = java.util.List.copyOf(allowedHeaders);
      exposedHeaders = java.util.List.copyOf(exposedHeaders);
    }
  }
}
