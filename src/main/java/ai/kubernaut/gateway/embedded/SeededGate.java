package ai.kubernaut.gateway.embedded;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Holds every request of the client handed to the gateway until the embedded API holds its demo
 * objects. The gateway builds itself while the seeding runs, and its caches still sync on a seeded
 * cluster, so {@code /readyz} never reports ready on a half-seeded one.
 */
final class SeededGate implements Interceptor {

  static final String NAME = "embedded-api-seeded";

  private final CompletableFuture<Void> seeded;
  private final Duration patience;

  SeededGate(CompletableFuture<Void> seeded, Duration patience) {
    this.seeded = seeded;
    this.patience = patience;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (seeded.isDone() && !seeded.isCompletedExceptionally()) {
      return;
    }
    await();
  }

  /**
   * Waits until the seeding has completed.
   *
   * @throws KubernetesClientException when it failed or took longer than the patience
   */
  void await() {
    try {
      seeded.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KubernetesClientException("the embedded Kubernetes API could not be seeded", e);
    } catch (TimeoutException e) {
      throw new KubernetesClientException(
          "the embedded Kubernetes API was not seeded within " + patience, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted waiting for the embedded Kubernetes API", e);
    }
  }
}
