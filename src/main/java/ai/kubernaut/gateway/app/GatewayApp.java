package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.http.ApiSecurity;
import ai.kubernaut.gateway.http.HttpObserver;
import ai.kubernaut.gateway.http.Readiness;
import ai.kubernaut.gateway.http.ServerSpans;
import ai.kubernaut.gateway.http.SignalRoutes;
import ai.kubernaut.gateway.intake.PayloadReader;
import ai.kubernaut.gateway.intake.SignalIntake;
import ai.kubernaut.gateway.intake.SignalReader;
import ai.kubernaut.gateway.kube.KubernetesBackend;
import ai.kubernaut.gateway.metrics.GatewayMetrics;
import ai.kubernaut.gateway.metrics.ProtectionCounters;
import ai.kubernaut.gateway.security.CorsPolicy;
import ai.kubernaut.gateway.security.TrustedProxies;
import ai.kubernaut.gateway.telemetry.Tracing;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the gateway from its configuration and a Kubernetes client in named
 * steps (cluster access, signal pipeline, the API's protections and routes, listeners, background
 * work), starts the listeners, and stops everything in order.
 */
public final class GatewayApp implements AutoCloseable {

  public static final int MAX_BODY_BYTES = 256 * 1024;
  private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

  private final GatewayConfig config;
  private final GatewayMetrics metrics;
  private final Tracing tracing;
  private final ClusterAccess cluster;
  private final SignalPipeline pipeline;
  private final Readiness readiness;
  private final Listeners listeners;
  private final Optional<ConfigFileWatcher> configWatcher;

  private GatewayApp(
      GatewayConfig config, KubernetesClient given, Clock clock, SignalSources sources) {
    this.config = config;
    // request threads are virtual, so Jackson's default per-thread buffer pool would reuse nothing
    ObjectMapper json =
        new ObjectMapper(
            JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build());
    this.metrics = new GatewayMetrics();
    this.tracing = Tracing.start(config.telemetry());
    this.cluster = ClusterAccess.connect(config, given, json, clock, metrics, tracing);
    KubernetesBackend backend = cluster.backend();
    this.pipeline = SignalPipeline.build(config, backend, json, clock, metrics, tracing);
    this.readiness =
        new Readiness()
            .add(
                "informerCacheSynced",
                () ->
                    backend.incidentStore().synced()
                        ? Optional.empty()
                        : Optional.of("Informer cache has not completed initial sync"))
            .add("metadataCachesSynced", backend::cacheProblem)
            .add("kubernetesApi", backend::apiProblem);
    AuditSetup.addChecks(pipeline.audit(), readiness);
    List<SignalReader<?>> readers = readers(config, sources, backend);
    Set<String> routes =
        readers.stream().map(r -> r.source().path()).collect(Collectors.toUnmodifiableSet());
    ApiSecurity security = apiSecurity(config, routes, json, clock);
    SignalIntake intake = new SignalIntake(pipeline.processor(), clock, metrics);
    this.listeners =
        Listeners.build(
            config,
            readiness,
            pipeline.audit()::failure,
            metrics,
            json,
            clock,
            (routing, deadlines) -> {
              if (tracing.enabled()) {
                routing.addFilter(new ServerSpans(tracing.tracer(), tracing.propagator(), routes));
              }
              SignalRoutes.register(
                  routing,
                  readers,
                  intake,
                  SignalRoutes.settings(
                      json, MAX_BODY_BYTES, clock, config.server().requestDeadline(), deadlines),
                  security,
                  new HttpObserver(metrics, routes),
                  pipeline.audit()::refusal);
            });
    this.configWatcher = ConfigFileWatcher.start(config, pipeline.audit(), pipeline.auditEvents());
  }

  private static List<SignalReader<?>> readers(
      GatewayConfig config, SignalSources sources, KubernetesBackend backend) {
    GatewayConfig.Security security = config.security();
    PayloadReader payloads = new PayloadReader(security.limits());
    List<SignalReader<?>> readers =
        sources.create(backend.kinds()).stream()
            .<SignalReader<?>>map(
                source ->
                    new SignalReader<>(source, payloads, security.limits(), security.freshness()))
            .toList();
    long distinctPaths = readers.stream().map(r -> r.source().path()).distinct().count();
    long distinctNames = readers.stream().map(r -> r.source().name()).distinct().count();
    if (distinctPaths != readers.size() || distinctNames != readers.size()) {
      throw new IllegalArgumentException("two signal sources share a route path or a name");
    }
    return readers;
  }

  private ApiSecurity apiSecurity(
      GatewayConfig config, Set<String> routes, ObjectMapper json, Clock clock) {
    return ApiSecurity.create(
        new ApiSecurity.Policies(
            new CorsPolicy(config.security().cors()),
            new TrustedProxies(config.security().trustedProxyCidrs()),
            SenderAuthentication.create(config, cluster.client(), clock)),
        config.server().maxConcurrentRequests(),
        routes,
        json,
        new ProtectionCounters(metrics.registry()));
  }

  /**
   * Builds the gateway, starts its informers and listeners, and waits (bounded) for the caches
   * owner resolution reads; {@code /readyz} answers 503 until they have synced.
   *
   * @throws IllegalStateException when discovery finds nothing or the caches do not sync in time
   */
  public static GatewayApp start(GatewayConfig config, KubernetesClient client, Clock clock) {
    return start(config, client, clock, SignalSources.STANDARD);
  }

  /** Starts a gateway as above that serves {@code sources}. */
  public static GatewayApp start(
      GatewayConfig config, KubernetesClient client, Clock clock, SignalSources sources) {
    GatewayApp app = new GatewayApp(config, client, clock, sources);
    try {
      app.listeners.startOperational();
      app.cluster.backend().start();
      app.cluster.backend().awaitCachesSynced();
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    app.listeners.startSignals();
    log.info(
        "gateway listening: api :{}, health :{}, metrics :{}; RemediationRequests in namespace {}",
        app.apiPort(),
        app.healthPort(),
        app.metricsPort(),
        config.identity().controllerNamespace());
    log.info("{}", app.pipeline.audit().description());
    log.info("{}", app.tracing.description());
    return app;
  }

  public int apiPort() {
    return listeners.apiPort();
  }

  public int healthPort() {
    return listeners.healthPort();
  }

  public int metricsPort() {
    return listeners.metricsPort();
  }

  public Readiness readiness() {
    return readiness;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Own writes the RemediationRequest cache has not caught up with yet. */
  public int pendingOwnWrites() {
    return cluster.backend().incidentStore().pendingOwnWrites();
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
    listeners.stopSignals();
    Duration spent = Duration.ofNanos(System.nanoTime() - started);
    Duration left = config.server().shutdownTimeout().minus(spent);
    pipeline.stop(left.isNegative() ? Duration.ZERO : left);
    listeners.stopOperational();
    cluster.close();
    tracing.close();
    metrics.close();
  }
}
