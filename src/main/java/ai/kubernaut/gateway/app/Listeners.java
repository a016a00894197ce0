package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.config.ListenAddress;
import ai.kubernaut.gateway.http.CertificateReloader;
import ai.kubernaut.gateway.http.ConnectionDeadlines;
import ai.kubernaut.gateway.http.EarlyRejections;
import ai.kubernaut.gateway.http.OperationalRoutes;
import ai.kubernaut.gateway.http.Readiness;
import ai.kubernaut.gateway.http.ServingCertificate;
import ai.kubernaut.gateway.metrics.ConnectionCounters;
import ai.kubernaut.gateway.metrics.GatewayMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Start-up step three: the three listeners. The signal (API) listener carries the connection
 * protections and, when configured, TLS with a reloaded certificate; the health and metrics
 * listeners are plain HTTP. The health and metrics listeners start first, the signal listener only
 * once the caches have synced.
 */
final class Listeners {

  private final GatewayConfig.Server settings;
  private final Optional<ServingCertificate> certificate;
  private final ConnectionDeadlines deadlines;
  private final WebServer api;
  private final WebServer health;
  private final WebServer metrics;
  private CertificateReloader certificateReloader;

  private Listeners(
      GatewayConfig.Server settings,
      Optional<ServingCertificate> certificate,
      ConnectionDeadlines deadlines,
      WebServer api,
      WebServer health,
      WebServer metrics) {
    this.settings = settings;
    this.certificate = certificate;
    this.deadlines = deadlines;
    this.api = api;
    this.health = health;
    this.metrics = metrics;
  }

  /**
   * Builds the listeners; {@code signalRoutes} registers the signal routes given the connection
   * deadlines they report to, and {@code liveness} says what only a restart cures (it fails {@code
   * /healthz}). Adds the {@code signalListener} readiness check.
   */
  static Listeners build(
      GatewayConfig config,
      Readiness readiness,
      Supplier<Optional<String>> liveness,
      GatewayMetrics gatewayMetrics,
      ObjectMapper json,
      Clock clock,
      SignalRoutesFactory signalRoutes) {
    GatewayConfig.Server server = config.server();
    Optional<ServingCertificate> certificate =
        server.tls().certDir().map(Listeners::servingCertificate);
    ConnectionDeadlines deadlines =
        new ConnectionDeadlines(
            server.readHeaderTimeout(),
            server.readTimeout(),
            server.writeTimeout(),
            server.idleTimeout(),
            ConnectionDeadlines.Slots.of(server.maxConnections(), server.maxConnectionsPerClient()),
            new ConnectionCounters(gatewayMetrics.registry()));
    WebServer api =
        listener(
            server.listenAddr(),
            server.idleTimeout(),
            server.shutdownTimeout(),
            builder -> {
              certificate.ifPresent(c -> builder.tls(c.tls()));
              deadlines.applyTo(builder);
              EarlyRejections.applyTo(builder, json);
              builder.maxTcpConnections(
                  server.maxConnections() == 0 ? -1 : server.maxConnections());
            },
            routing -> signalRoutes.register(routing, deadlines));
    readiness.add(
        "signalListener",
        () ->
            api.isRunning() ? Optional.empty() : Optional.of("The signal listener is not running"));
    WebServer health =
        listener(
            server.healthAddr(),
            server.idleTimeout(),
            Duration.ofSeconds(1),
            builder -> {},
            routing -> {
              OperationalRoutes.health(routing, readiness, liveness, json, clock);
              if (config.debug().pprofEnabled()) {
                OperationalRoutes.profiling(routing, json);
              }
            });
    WebServer metrics =
        listener(
            server.metricsAddr(),
            server.idleTimeout(),
            Duration.ofSeconds(1),
            builder -> {},
            routing -> OperationalRoutes.metrics(routing, gatewayMetrics::scrape));
    return new Listeners(server, certificate, deadlines, api, health, metrics);
  }

  /** Registers the signal routes on the API listener's routing. */
  @FunctionalInterface
  interface SignalRoutesFactory {
    void register(HttpRouting.Builder routing, ConnectionDeadlines deadlines);
  }

  void startOperational() {
    health.start();
    metrics.start();
  }

  /** Starts the signal listener and, with TLS, the watch for a replaced certificate. */
  void startSignals() {
    api.start();
    GatewayConfig.ServerTls tls = settings.tls();
    certificate.ifPresent(
        c ->
            certificateReloader =
                CertificateReloader.start(
                    tls.certDir().orElseThrow(), c, tls.reloadInterval(), api::reloadTls));
  }

  /** Stops taking signals; requests under way finish within the API listener's grace period. */
  void stopSignals() {
    if (certificateReloader != null) {
      certificateReloader.close();
    }
    api.stop();
    deadlines.close();
  }

  void stopOperational() {
    health.stop();
    metrics.stop();
  }

  int apiPort() {
    return api.port();
  }

  int healthPort() {
    return health.port();
  }

  int metricsPort() {
    return metrics.port();
  }

  private static ServingCertificate servingCertificate(Path dir) {
    try {
      return ServingCertificate.load(dir);
    } catch (ServingCertificate.InvalidException e) {
      throw new IllegalStateException("server.tls.certDir: " + e.getMessage(), e);
    }
  }

  private static WebServer listener(
      ListenAddress address,
      Duration idleTimeout,
      Duration gracePeriod,
      Consumer<WebServerConfig.Builder> protections,
      Consumer<HttpRouting.Builder> routes) {
    WebServerConfig.Builder builder = WebServer.builder();
    protections.accept(builder);
    return builder
        .host(address.bindHost())
        .port(address.port())
        .shutdownHook(false)
        .shutdownGracePeriod(gracePeriod)
        .maxPayloadSize(64L * 1024 * 1024)
        .idleConnectionTimeout(idleTimeout.isZero() ? Duration.ofMinutes(2) : idleTimeout)
        .routing(routes)
        .build();
  }
}
