package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.ApiError;
import ai.kubernaut.gateway.signal.InvalidSignalException;
import ai.kubernaut.gateway.signal.TransientBackendException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Kubernetes API calls with retries of transient failures (429, 5xx, timeouts, lost
 * connections): exponential backoff with ±10% jitter, capped, at least as long as the server's
 * {@code Retry-After}, a bounded number of attempts within the caller's deadline. Writes also pass
 * a circuit breaker, and a write is only re-sent here when the server certainly did not apply it
 * (429, or no connection was made); after any other failure it may have been applied, so it ends as
 * {@link AmbiguousWriteException} for the caller to find out from the server. The fabric8 client's
 * own retries are switched off so the two never compound.
 *
 * <p>Not resilience4j's retry: it cannot decline a pause that would end after the request's
 * deadline, which is what keeps a retried signal inside the time its sender waits.
 */
final class ApiCalls {

  private static final Logger log = LoggerFactory.getLogger(ApiCalls.class);

  private final GatewayConfig.Retry retry;
  private final Duration budget;
  private final WriteCircuitBreaker breaker;

  ApiCalls(GatewayConfig.Retry retry, Duration budget, WriteCircuitBreaker breaker) {
    this.retry = Objects.requireNonNull(retry, "retry");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.breaker = Objects.requireNonNull(breaker, "breaker");
  }

  /**
   * Runs a read. Conflicts and not-found answers are rethrown unchanged for the caller to handle;
   * transient failures are retried and end as {@link TransientBackendException}; an invalid request
   * ends as {@link InvalidSignalException}.
   */
  <T> T run(String what, Supplier<T> call) {
    return attempt(what, call, false, System.nanoTime() + budget.toNanos());
  }

  /** Runs a read like {@link #run}, with no retry started after {@code deadline}. */
  <T> T run(String what, Deadline deadline, Supplier<T> call) {
    return attempt(what, call, false, deadline.nanos());
  }

  /**
   * Runs a write through the circuit breaker, re-sending it only while it certainly was not
   * applied.
   *
   * @throws AmbiguousWriteException when the server may have applied it
   */
  <T> T write(String what, Deadline deadline, Supplier<T> call) {
    return attempt(what, call, true, deadline.nanos());
  }

  private <T> T attempt(String what, Supplier<T> call, boolean write, long deadline) {
    for (int attempt = 1; ; attempt++) {
      if (System.nanoTime() >= deadline) {
        throw new TransientBackendException(
            what + " not sent: the request deadline has passed", null, null);
      }
      if (write && !breaker.tryAcquire()) {
        throw new TransientBackendException(
            what
                + " not sent: circuit breaker k8s-api is open for another "
                + breaker.retryAfter().toSeconds()
                + "s",
            null,
            ApiError.circuitBreakerOpen());
      }
      try {
        T result = call.get();
        if (write) {
          breaker.recordSuccess();
        }
        return result;
      } catch (KubernetesClientException e) {
        boolean transientFailure = ApiFailures.isTransient(e);
        if (write) {
          if (transientFailure) {
            breaker.recordFailure();
          } else {
            breaker.recordSuccess();
          }
        }
        if (ApiFailures.isConflict(e) || ApiFailures.isNotFound(e)) {
          throw e;
        }
        if (!transientFailure) {
          throw permanent(what, e);
        }
        if (write && !ApiFailures.certainlyNotApplied(e)) {
          throw new AmbiguousWriteException(
              what + " failed after it was sent: " + ApiFailures.describe(e), e);
        }
        Duration pause = pause(attempt, e);
        if (attempt >= retry.maxAttempts() || System.nanoTime() + pause.toNanos() > deadline) {
          throw new TransientBackendException(
              what + " failed: " + ApiFailures.describe(e), e, ApiFailures.error(e));
        }
        log.debug(
            "{} failed ({}), retrying in {} ms", what, ApiFailures.describe(e), pause.toMillis());
        sleep(pause);
      }
    }
  }

  /**
   * Waits before re-sending a write that was found not applied after an uncertain failure, as a
   * retry would.
   *
   * @throws TransientBackendException when the attempts or the deadline are used up
   */
  void pauseBeforeResend(String what, int attempt, Deadline deadline, AmbiguousWriteException e) {
    KubernetesClientException cause = (KubernetesClientException) e.getCause();
    Duration pause = pause(attempt, cause);
    if (attempt >= retry.maxAttempts() || System.nanoTime() + pause.toNanos() > deadline.nanos()) {
      throw new TransientBackendException(
          what + " failed: " + ApiFailures.describe(cause), cause, ApiFailures.error(cause));
    }
    sleep(pause);
  }

  /** Exponential backoff with jitter, never shorter than what the server asked for. */
  private Duration pause(int attempt, KubernetesClientException e) {
    Duration backoff = backoff(retry.initialBackoff(), retry.maxBackoff(), attempt);
    return retryAfter(e).filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff);
  }

  /**
   * The pause before attempt {@code attempt + 1} after {@code attempt} failures in a row: {@code
   * initial·2^(attempt−1)}, at most {@code max}, with ±10 % jitter.
   */
  static Duration backoff(Duration initial, Duration max, int attempt) {
    long base = initial.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, max.toMillis());
    double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis(Math.round(capped * jitter));
  }

  /** The API server puts its Retry-After into the Status details of a 429 or 503. */
  static Optional<Duration> retryAfter(KubernetesClientException e) {
    if (e.getStatus() == null || e.getStatus().getDetails() == null) {
      return Optional.empty();
    }
    Integer seconds = e.getStatus().getDetails().getRetryAfterSeconds();
    return seconds == null || seconds <= 0
        ? Optional.empty()
        : Optional.of(Duration.ofSeconds(seconds));
  }

  private static RuntimeException permanent(String what, KubernetesClientException e) {
    int code = e.getCode();
    if ((code == 400 || code == 422) && namesAFieldOfTheSpec(e)) {
      String reason =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : ApiFailures.describe(e);
      return new InvalidSignalException(what + " was rejected by the API server: " + reason);
    }
    return new TransientBackendException(
        what + " failed: " + ApiFailures.describe(e), e, ApiFailures.error(e));
  }

  /**
   * An invalid answer names the spec fields it refused (the schema's {@code causes}): only then is
   * the signal that filled them at fault. A refusal of anything else (an admission policy, a status
   * field, an unexpected request) is the installation's problem, and the sender retries.
   */
  private static boolean namesAFieldOfTheSpec(KubernetesClientException e) {
    var status = e.getStatus();
    if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
      return false;
    }
    return status.getDetails().getCauses().stream()
        .anyMatch(c -> c.getField() != null && c.getField().startsWith("spec."));
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
