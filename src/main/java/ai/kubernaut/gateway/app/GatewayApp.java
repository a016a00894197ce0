package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerAdapter;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventAdapter;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.config.ListenAddress;
import ai.kubernaut.gateway.http.ApiSecurity;
import ai.kubernaut.gateway.http.CertificateReloader;
import ai.kubernaut.gateway.http.ConnectionDeadlines;
import ai.kubernaut.gateway.http.EarlyRejections;
import ai.kubernaut.gateway.http.HttpObserver;
import ai.kubernaut.gateway.http.OperationalRoutes;
import ai.kubernaut.gateway.http.OutcomeLog;
import ai.kubernaut.gateway.http.Readiness;
import ai.kubernaut.gateway.http.ServerSpans;
import ai.kubernaut.gateway.http.ServingCertificate;
import ai.kubernaut.gateway.http.SignalRoutes;
import ai.kubernaut.gateway.kube.ApiRequestCounter;
import ai.kubernaut.gateway.kube.ApiRequestSpans;
import ai.kubernaut.gateway.kube.InstrumentedClient;
import ai.kubernaut.gateway.kube.KubernetesBackend;
import ai.kubernaut.gateway.metrics.AuditMetrics;
import ai.kubernaut.gateway.metrics.GatewayMetrics;
import ai.kubernaut.gateway.security.PayloadInspector;
import ai.kubernaut.gateway.signal.GroupCommitQueue;
import ai.kubernaut.gateway.signal.IncidentRecorder;
import ai.kubernaut.gateway.signal.SignalAdapter;
import ai.kubernaut.gateway.signal.SignalObserver;
import ai.kubernaut.gateway.signal.SignalProcessor;
import ai.kubernaut.gateway.telemetry.TracedExecutor;
import ai.kubernaut.gateway.telemetry.TracedTargetResolver;
import ai.kubernaut.gateway.telemetry.Tracing;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the gateway from its configuration and a Kubernetes
 * client, starts the three listeners (API, health, metrics), and stops them in order.
 */
public final class GatewayApp implements AutoCloseable {

  public static final int MAX_BODY_BYTES = 256 * 1024;
  private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

  private final GatewayConfig config;
  private final KubernetesBackend backend;
  private final GatewayMetrics metrics;
  private final AuditSetup audit;
  private final Optional<ConfigFileWatcher> configWatcher;
  private final ExecutorService workers;
  private final ExecutorService kubeCallbacks;
  private final Tracing tracing;
  private final Readiness readiness;
  private final Optional<ServingCertificate> certificate;
  private final ConnectionDeadlines deadlines;
  private CertificateReloader certificateReloader;
  private final WebServer api;
  private final WebServer health;
  private final WebServer metricsServer;

  private GatewayApp(GatewayConfig config, KubernetesClient given, Clock clock, boolean embedded) {
    this.config = config;
    ObjectMapper json = new ObjectMapper();
    this.metrics = new GatewayMetrics();
    this.tracing = Tracing.start(config.telemetry());
    Tracer tracer = tracing.tracer();
    this.kubeCallbacks = Executors.newVirtualThreadPerTaskExecutor();
    Map<String, Interceptor> interceptors = new LinkedHashMap<>();
    interceptors.put(ApiRequestCounter.NAME, new ApiRequestCounter(metrics.registry()));
    if (tracing.enabled()) {
      interceptors.put(ApiRequestSpans.NAME, new ApiRequestSpans(tracer, tracing.propagator()));
    }
    KubernetesClient client = InstrumentedClient.derive(given, interceptors, kubeCallbacks);
    this.backend = new KubernetesBackend(client, config, json, clock, metrics.registry());
    this.workers = Executors.newVirtualThreadPerTaskExecutor();
    this.audit =
        AuditSetup.create(
            config, embedded, json, clock, new AuditMetrics(metrics.registry()), tracer);
    SignalProcessor processor =
        new SignalProcessor(
            tracing.enabled()
                ? new TracedTargetResolver(backend.targetResolver(), tracer)
                : backend.targetResolver(),
            backend.scopePolicy(),
            new IncidentRecorder(
                backend.incidentStore(),
                clock,
                new IncidentRecorder.GroupCommit(
                    tracing.enabled()
                        ? new TracedExecutor(workers, tracer, "record incident")
                        : workers,
                    config.processing().groupCommitMaxSignals(),
                    GroupCommitQueue.pauseFor(config.processing().groupCommitBurstLinger()),
                    metrics::groupCommit)),
            SignalObserver.all(List.of(metrics, audit, new OutcomeLog())),
            clock,
            config.identity().clusterId());
    ObjectMapper payloads = PayloadInspector.mapper(config.security().limits());
    Map<String, SignalAdapter> adapters =
        Map.of(
            SignalRoutes.PROMETHEUS, new AlertmanagerAdapter(payloads, backend.kinds()),
            SignalRoutes.KUBERNETES_EVENT, new KubernetesEventAdapter(payloads));
    ApiSecurity security =
        ApiSecurity.create(
            config,
            SenderAuthentication.create(config, client, clock),
            Map.of(
                SignalRoutes.PROMETHEUS, PayloadInspector.Kind.ALERTMANAGER_WEBHOOK,
                SignalRoutes.KUBERNETES_EVENT, PayloadInspector.Kind.KUBERNETES_EVENT),
            json,
            metrics.registry());
    this.readiness =
        new Readiness()
            .add(
                "informerCacheSynced",
                () ->
                    backend.incidentStore().synced()
                        ? null
                        : "Informer cache has not completed initial sync")
            .add("metadataCachesSynced", backend::cacheProblem)
            .add("kubernetesApi", backend::apiProblem);
    audit.addChecks(readiness, config.audit());
    this.configWatcher = ConfigFileWatcher.start(config, audit);
    GatewayConfig.Server server = config.server();
    this.certificate = server.tls().certDir().map(GatewayApp::servingCertificate);
    this.deadlines =
        new ConnectionDeadlines(
            server.readHeaderTimeout(),
            server.readTimeout(),
            server.writeTimeout(),
            server.idleTimeout(),
            ConnectionDeadlines.Slots.of(server.maxConnections(), server.maxConnectionsPerClient()),
            metrics.registry());
    this.api =
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
            routing -> {
              if (tracing.enabled()) {
                routing.addFilter(new ServerSpans(tracer, tracing.propagator(), adapters.keySet()));
              }
              SignalRoutes.register(
                  routing,
                  adapters,
                  processor,
                  SignalRoutes.settings(
                      json,
                      MAX_BODY_BYTES,
                      clock,
                      server.requestDeadline(),
                      metrics,
                      security,
                      deadlines),
                  new HttpObserver(metrics, adapters.keySet()),
                  audit.admission());
            });
    readiness.add(
        "signalListener", () -> api.isRunning() ? null : "The signal listener is not running");
    this.health =
        listener(
            server.healthAddr(),
            server.idleTimeout(),
            Duration.ofSeconds(1),
            builder -> {},
            routing -> {
              OperationalRoutes.health(routing, readiness, json, clock);
              if (config.debug().pprofEnabled()) {
                OperationalRoutes.profiling(routing, json);
              }
            });
    this.metricsServer =
        listener(
            server.metricsAddr(),
            server.idleTimeout(),
            Duration.ofSeconds(1),
            builder -> {},
            routing -> OperationalRoutes.metrics(routing, metrics::scrape));
  }

  /**
   * Builds the gateway, starts its informers and listeners, and waits (bounded) for the caches
   * owner resolution reads; {@code /readyz} answers 503 until they have synced.
   *
   * @throws IllegalStateException when discovery finds nothing or the caches do not sync in time
   */
  public static GatewayApp start(GatewayConfig config, KubernetesClient client, Clock clock) {
    return start(config, client, clock, false);
  }

  /**
   * Builds the gateway and starts it; {@code embedded} (an in-process Kubernetes API) keeps audit
   * events in the local file unless the configuration file sets {@code datastorage.url}.
   */
  public static GatewayApp start(
      GatewayConfig config, KubernetesClient client, Clock clock, boolean embedded) {
    GatewayApp app = new GatewayApp(config, client, clock, embedded);
    try {
      app.health.start();
      app.metricsServer.start();
      app.backend.start();
      app.backend.awaitCachesSynced();
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    app.api.start();
    app.watchCertificate();
    log.info(
        "gateway listening: api :{}, health :{}, metrics :{}; RemediationRequests in namespace {}",
        app.apiPort(),
        app.healthPort(),
        app.metricsPort(),
        config.identity().controllerNamespace());
    log.info("{}", app.audit.description());
    log.info("{}", app.tracing.description());
    return app;
  }

  private static ServingCertificate servingCertificate(Path dir) {
    try {
      return ServingCertificate.load(dir);
    } catch (ServingCertificate.InvalidException e) {
      throw new IllegalStateException("server.tls.certDir: " + e.getMessage(), e);
    }
  }

  private void watchCertificate() {
    GatewayConfig.ServerTls tls = config.server().tls();
    certificate.ifPresent(
        c ->
            certificateReloader =
                CertificateReloader.start(
                    tls.certDir().orElseThrow(), c, tls.reloadInterval(), api::reloadTls));
  }

  public int apiPort() {
    return api.port();
  }

  public int healthPort() {
    return health.port();
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  public Readiness readiness() {
    return readiness;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Own writes the RemediationRequest cache has not caught up with yet. */
  public int pendingOwnWrites() {
    return backend.incidentStore().pendingOwnWrites();
  }

  /**
   * Stops gracefully: readiness turns 503 first so load balancers stop routing here, in-flight
   * requests finish within the shutdown budget, then the remaining listeners and backends close.
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    configWatcher.ifPresent(ConfigFileWatcher::close);
    readiness.shuttingDown();
    if (certificateReloader != null) {
      certificateReloader.close();
    }
    api.stop();
    deadlines.close();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(
          config.server().shutdownTimeout().toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS)) {
        log.warn("shutdown budget exceeded; abandoning unfinished signal work");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration spent = Duration.ofNanos(System.nanoTime() - started);
    Duration left = config.server().shutdownTimeout().minus(spent);
    audit.close(left.isNegative() ? Duration.ZERO : left);
    health.stop();
    metricsServer.stop();
    backend.close();
    kubeCallbacks.shutdown();
    tracing.close();
    metrics.close();
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
