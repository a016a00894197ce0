package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.kube.ApiRequestCounter;
import ai.kubernaut.gateway.kube.ApiRequestSpans;
import ai.kubernaut.gateway.kube.ApiServerTime;
import ai.kubernaut.gateway.kube.InstrumentedClient;
import ai.kubernaut.gateway.kube.KubernetesBackend;
import ai.kubernaut.gateway.metrics.GatewayMetrics;
import ai.kubernaut.gateway.metrics.KubeCounters;
import ai.kubernaut.gateway.telemetry.Tracing;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Start-up step one: the Kubernetes client, counted and traced per request, and the backend built
 * on it (caches, incident store, owner resolution, scope).
 */
final class ClusterAccess implements AutoCloseable {

  private final KubernetesClient client;
  private final KubernetesBackend backend;
  private final ExecutorService callbacks;

  private ClusterAccess(
      KubernetesClient client, KubernetesBackend backend, ExecutorService callbacks) {
    this.client = client;
    this.backend = backend;
    this.callbacks = callbacks;
  }

  static ClusterAccess connect(
      GatewayConfig config,
      KubernetesClient given,
      ObjectMapper json,
      Clock clock,
      GatewayMetrics metrics,
      Tracing tracing) {
    ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    KubeCounters kubeMetrics = new KubeCounters(metrics.registry());
    Map<String, Interceptor> interceptors = new LinkedHashMap<>();
    interceptors.put(ApiRequestCounter.NAME, new ApiRequestCounter(kubeMetrics));
    ApiServerTime serverTime = new ApiServerTime();
    interceptors.put(ApiServerTime.NAME, serverTime);
    if (tracing.enabled()) {
      interceptors.put(
          ApiRequestSpans.NAME, new ApiRequestSpans(tracing.tracer(), tracing.propagator()));
    }
    KubernetesClient client = InstrumentedClient.derive(given, interceptors, callbacks);
    return new ClusterAccess(
        client,
        new KubernetesBackend(client, config, json, clock, kubeMetrics, serverTime),
        callbacks);
  }

  KubernetesClient client() {
    return client;
  }

  KubernetesBackend backend() {
    return backend;
  }

  @Override
  public void close() {
    backend.close();
    callbacks.shutdown();
  }
}
