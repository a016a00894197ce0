package ai.kubernaut.gateway.signal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The signal pipeline: turn away signals from other clusters, resolve the target to its owning
 * workload, fingerprint it, check scope, and record it on an incident. Every path ends in exactly
 * one {@link Outcome}, reported to the observer before it is returned.
 */
public final class SignalProcessor {

  private final TargetResolver resolver;
  private final ScopePolicy scope;
  private final IncidentRecorder recorder;
  private final SignalObserver observer;
  private final Clock clock;
  private final String clusterId;

  /**
   * @param clusterId the cluster this gateway serves; signals labelled with another cluster are
   *     rejected, and an empty id accepts every cluster label
   */
  public SignalProcessor(
      TargetResolver resolver,
      ScopePolicy scope,
      IncidentRecorder recorder,
      SignalObserver observer,
      Clock clock,
      String clusterId) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
  }

  /** Starts processing; the future completes with the outcome, never exceptionally. */
  public CompletableFuture<Outcome> process(InboundSignal inbound, RequestContext context) {
    CompletableFuture<Outcome> pending;
    try {
      pending = resolveAndRecord(inbound);
    } catch (InvalidSignalException e) {
      pending = CompletableFuture.completedFuture(new Outcome.Invalid(inbound, e.getMessage()));
    } catch (TransientBackendException e) {
      pending = CompletableFuture.completedFuture(failed(inbound, Optional.empty(), e));
    }
    // Each outcome is observed on its own virtual thread: outcomes of one group-committed batch
    // complete together, and the audit trail's wait for its fsync must not run once per signal in
    // sequence but concurrently, so they share one.
    return pending.thenApplyAsync(
        outcome -> {
          observer.completed(outcome, context);
          return outcome;
        },
        Thread::startVirtualThread);
  }

  /** Processes one signal and waits for its outcome until the request deadline. */
  public Outcome processUntilDeadline(InboundSignal inbound, RequestContext context) {
    return await(process(inbound, context), inbound, context);
  }

  /** Waits for a started signal until the request deadline; a late signal ends as failed. */
  public Outcome await(
      CompletableFuture<Outcome> pending, InboundSignal inbound, RequestContext context) {
    Duration left = Duration.between(clock.instant(), context.deadline());
    try {
      return pending.get(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Outcome.Failed(
          inbound,
          Optional.empty(),
          Outcome.FailureCause.DEADLINE_EXCEEDED,
          "request deadline exceeded before the signal was recorded");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Failed(
          inbound, Optional.empty(), Outcome.FailureCause.DEADLINE_EXCEEDED, "interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException("signal processing failed unexpectedly", e.getCause());
    }
  }

  private CompletableFuture<Outcome> resolveAndRecord(InboundSignal inbound) {
    if (isForeign(inbound)) {
      // its target lives in another cluster: nothing here can be resolved or checked
      return CompletableFuture.completedFuture(
          new Outcome.Rejected(Signal.foreign(inbound), Outcome.Rejected.FOREIGN_CLUSTER));
    }
    Signal signal = Signal.resolved(inbound, resolver.resolveOwner(inbound));
    observer.resolved(signal);
    try {
      if (!scope.isManaged(signal.target())) {
        return CompletableFuture.completedFuture(
            new Outcome.Rejected(signal, Outcome.Rejected.UNMANAGED_RESOURCE));
      }
    } catch (TransientBackendException e) {
      return CompletableFuture.completedFuture(failed(inbound, Optional.of(signal), e));
    }
    return recorder.record(signal);
  }

  private boolean isForeign(InboundSignal inbound) {
    return !clusterId.isEmpty()
        && !inbound.clusterId().isEmpty()
        && !inbound.clusterId().equals(clusterId);
  }

  private static Outcome failed(
      InboundSignal inbound, Optional<Signal> signal, TransientBackendException e) {
    return new Outcome.Failed(
        inbound, signal, Outcome.FailureCause.BACKEND_UNAVAILABLE, e.getMessage(), e.apiError());
  }
}
