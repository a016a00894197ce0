package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.impl.KubernetesClientImpl;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * A client derived from another one that adds interceptors to its HTTP chain. It shares the
 * original's connections and configuration, so whoever built the original still owns and closes
 * them; the derived client reads and writes with the {@link GatewaySerialization} and only runs
 * informer callbacks on {@code callbacks}.
 */
public final class InstrumentedClient {

  private InstrumentedClient() {}

  public static KubernetesClient derive(
      KubernetesClient client, Map<String, Interceptor> interceptors, ExecutorService callbacks) {
    HttpClient.DerivedClientBuilder http = client.getHttpClient().newBuilder();
    interceptors.forEach(http::addOrReplaceInterceptor);
    return new KubernetesClientImpl(
        http.build(),
        client.getConfiguration(),
        new SharedExecutor(callbacks),
        GatewaySerialization.create());
  }

  /** Hands out the caller's executor and leaves shutting it down to the caller. */
  private record SharedExecutor(ExecutorService executor)
      implements KubernetesClientBuilder.ExecutorSupplier {

    @Override
    public Executor get() {
      return executor;
    }

    @Override
    public void onClose(Executor closed) {}
  }
}
