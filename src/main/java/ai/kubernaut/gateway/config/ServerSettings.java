package ai.kubernaut.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads the {@code server} settings: listeners, connection limits, timeouts and TLS. */
final class ServerSettings {

  private ServerSettings() {}

  static GatewayConfig.Server read(ConfigReader r) {
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
    requireCreatesFitTheOpeningWindow(r, writeTimeout, k8sTimeout);
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

  /**
   * Each Kubernetes request may last half the request deadline after its connection is set up, and
   * a claimed incident's create is only sent while a request that long ends within the claim's
   * opening window: a longer one (or none at all) would make every new incident fail.
   */
  private static void requireCreatesFitTheOpeningWindow(
      ConfigReader r, Duration writeTimeout, Duration k8sTimeout) {
    boolean fromWriteTimeout = k8sTimeout.isZero();
    Duration deadline = fromWriteTimeout ? writeTimeout : k8sTimeout;
    Duration perRequest = deadline.dividedBy(2);
    Duration longestPerRequest =
        GatewayConfig.Server.MAX_K8S_PER_REQUEST_TIMEOUT.minus(
            GatewayConfig.Server.MIN_K8S_CONNECT_TIMEOUT);
    Duration longest = longestPerRequest.multipliedBy(2);
    String why =
        " (each Kubernetes request may last half of it, and a new incident's create must reach"
            + " the API server within 30 s of its claim)";
    if (fromWriteTimeout) {
      r.require(
          perRequest.isPositive(),
          "server.k8sRequestTimeout",
          "0s",
          "set while server.writeTimeout is 0: Kubernetes requests would have no timeout" + why);
    }
    r.require(
        perRequest.isZero() || perRequest.compareTo(longestPerRequest) < 0,
        fromWriteTimeout ? "server.writeTimeout" : "server.k8sRequestTimeout",
        GoDuration.format(deadline),
        "shorter than "
            + GoDuration.format(longest)
            + (fromWriteTimeout ? " while server.k8sRequestTimeout is 0" : "")
            + why);
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
}
