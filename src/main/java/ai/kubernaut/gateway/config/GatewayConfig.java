package ai.kubernaut.gateway.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The gateway's complete, validated configuration. Keys and defaults follow the Go Gateway's YAML
 * file; keys the Go Gateway does not have are marked in {@code README.md}.
 */
public record GatewayConfig(
    Server server,
    DataStorage dataStorage,
    Processing processing,
    Logging logging,
    Audit audit,
    Embedded embedded,
    Identity identity,
    Kubernetes kubernetes) {

  /** Listeners, limits and timeouts. */
  public record Server(
      ListenAddress listenAddr,
      ListenAddress healthAddr,
      ListenAddress metricsAddr,
      int maxConcurrentRequests,
      Duration readTimeout,
      Duration writeTimeout,
      Duration idleTimeout,
      Duration k8sRequestTimeout,
      Duration shutdownTimeout) {

    /** How long one request may take to be recorded before the sender gets 504. */
    public Duration requestDeadline() {
      return k8sRequestTimeout.isZero() ? writeTimeout : k8sRequestTimeout;
    }
  }

  /** Where audit events are delivered. */
  public record DataStorage(String url, String healthUrl, Duration timeout) {}

  /** How signals are processed. */
  public record Processing(Retry retry, int groupCommitMaxSignals) {}

  /** Retries of Kubernetes API writes. */
  public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {}

  /** Log level and format. */
  public record Logging(String level, String format) {}

  /** The local audit trail file. */
  public record Audit(Path file) {}

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
}
