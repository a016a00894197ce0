package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.InvalidSignalException;
import ai.kubernaut.gateway.signal.TransientBackendException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Kubernetes API calls with retries of transient failures (429, 5xx, timeouts, lost
 * connections): exponential backoff with ±10% jitter, capped, a bounded number of attempts. The
 * fabric8 client's own retries are switched off so the two never compound.
 */
final class ApiCalls {

  private static final Logger log = LoggerFactory.getLogger(ApiCalls.class);

  private final GatewayConfig.Retry retry;

  ApiCalls(GatewayConfig.Retry retry) {
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /**
   * Runs {@code call}. Conflicts and not-found answers are rethrown unchanged for the caller to
   * handle; transient failures are retried and end as {@link TransientBackendException}; an invalid
   * request ends as {@link InvalidSignalException}.
   */
  <T> T run(String what, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (KubernetesClientException e) {
        if (ApiFailures.isConflict(e) || ApiFailures.isNotFound(e)) {
          throw e;
        }
        if (!ApiFailures.isTransient(e)) {
          throw permanent(what, e);
        }
        if (attempt >= retry.maxAttempts()) {
          throw new TransientBackendException(
              what + " failed: " + ApiFailures.describe(e), e, ApiFailures.error(e));
        }
        Duration pause = backoff(attempt);
        log.debug(
            "{} failed ({}), retrying in {} ms", what, ApiFailures.describe(e), pause.toMillis());
        sleep(pause);
      }
    }
  }

  private Duration backoff(int attempt) {
    long base = retry.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, retry.maxBackoff().toMillis());
    double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis(Math.round(capped * jitter));
  }

  private static RuntimeException permanent(String what, KubernetesClientException e) {
    int code = e.getCode();
    if (code == 400 || code == 422) {
      return new InvalidSignalException(what + " was rejected: " + ApiFailures.describe(e));
    }
    return new TransientBackendException(
        what + " failed: " + ApiFailures.describe(e), e, ApiFailures.error(e));
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientBackendException("interrupted while waiting to retry");
    }
  }
}
