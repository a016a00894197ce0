package ai.kubernaut.gateway.signal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signal pipeline: turn away signals from other clusters, resolve the target to its owning
 * workload, fingerprint it, check scope, record it on an incident, and record the outcome in the
 * audit trail. Every path ends in exactly one {@link Outcome}, reported to the observer before it
 * is returned; an outcome whose audit trail could not be recorded becomes a failure.
 */
public final class SignalProcessor {

  private static final Logger log = LoggerFactory.getLogger(SignalProcessor.class);
  private static final String AUDIT_NOT_RECORDED = "the signal's audit trail could not be recorded";

  /** Withdraws the queued signals of every processor of this process when their deadline passes. */
  private static final DeadlineSweeper DEADLINES = new DeadlineSweeper("signal-deadlines");

  /** Longer than any request deadline; keeps a far deadline's nanoseconds from overflowing. */
  private static final Duration MAX_WAIT = Duration.ofDays(1);

  private final TargetResolver resolver;
  private final ScopePolicy scope;
  private final IncidentRecorder recorder;
  private final AuditTrail audit;
  private final SignalObserver observer;
  private final Clock clock;
  private final String clusterId;
  private final ResolvedAlerts resolvedAlerts;

  /** What a resolved alert does. */
  public enum ResolvedAlerts {
    /** It never opens an incident and is not counted; the sender learns the active incident. */
    IGNORE,
    /** It is handled like a firing alert, as the Go Gateway does. */
    AS_FIRING
  }

  /**
   * @param clusterId the cluster this gateway serves; signals labelled with another cluster are
   *     rejected, and an empty id accepts every cluster label
   */
  public SignalProcessor(
      TargetResolver resolver,
      ScopePolicy scope,
      IncidentRecorder recorder,
      AuditTrail audit,
      SignalObserver observer,
      Clock clock,
      String clusterId,
      ResolvedAlerts resolvedAlerts) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    this.resolvedAlerts = Objects.requireNonNull(resolvedAlerts, "resolvedAlerts");
  }

  /**
   * Starts processing; the future completes with the outcome, never exceptionally. Cancelling it
   * withdraws the signal if its write has not started (see {@link #await}).
   */
  public CompletableFuture<Outcome> process(InboundSignal inbound, RequestContext context) {
    CompletableFuture<Outcome> pending = recorded(inbound, context, false);
    // Each outcome is audited on its own virtual thread: outcomes of one group-committed batch
    // complete together, and the audit trail's wait for its fsync must not run once per signal in
    // sequence but concurrently, so they share one.
    CompletableFuture<Outcome> source = pending;
    Withdrawable observed = new Withdrawable(source);
    source.whenComplete(
        (outcome, error) -> {
          if (source.isCancelled()) {
            return; // withdrawn: the waiter answered the sender and observed that itself
          }
          Outcome result = error == null ? outcome : unexpected(inbound, error);
          Thread.startVirtualThread(
              () -> {
                // An Error in the audit stage must neither hang the sender nor let it hear of a
                // success whose events may not be durable.
                Outcome answered = unaudited(result, AUDIT_NOT_RECORDED);
                try {
                  answered = conclude(result, context);
                } finally {
                  observed.complete(answered);
                }
              });
        });
    return observed;
  }

  /** Processes one signal and waits for its outcome until the request deadline. */
  public Outcome processUntilDeadline(InboundSignal inbound, RequestContext context) {
    return await(process(inbound, context), inbound, context);
  }

  /**
   * Processes the only signal of a request on the calling thread, which waits for it anyway: its
   * write runs here unless another write of its fingerprint is under way (it then queues behind
   * that one until the request deadline, as in {@link #await}), and so does its audit trail. That
   * spares a signal the hand-offs to and from the threads {@link #process} uses to run the signals
   * of one request side by side.
   */
  public Outcome processAlone(InboundSignal inbound, RequestContext context) {
    return concludeGuarded(
        awaitRecorded(recorded(inbound, context, true), inbound, context), context);
  }

  /**
   * Waits for a started signal until the request deadline. A signal whose write has not started by
   * then is withdrawn and fails; one whose write is under way is waited for, since the sender must
   * learn whether it was counted.
   */
  public Outcome await(
      CompletableFuture<Outcome> pending, InboundSignal inbound, RequestContext context) {
    Outcome outcome = awaitRecorded(pending, inbound, context);
    // a withdrawn signal never reaches the stage that audits recorded ones: conclude it here
    return pending.isCancelled() ? concludeGuarded(outcome, context) : outcome;
  }

  /**
   * The signal's outcome as its write ended, or its failure when it was withdrawn (the deadline
   * passed, or the waiting thread was interrupted, while it was still queued); not concluded.
   */
  private Outcome awaitRecorded(
      CompletableFuture<Outcome> pending, InboundSignal inbound, RequestContext context) {
    try {
      return waitUntilDeadline(pending, inbound, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // once its write has started, the sender must learn whether it counted; the sweeper may
      // have withdrawn it at its deadline as the interrupt came, and then it never will be written
      if (pending.cancel(false) || pending.isCancelled()) {
        return interrupted(inbound);
      }
      try {
        return pending.join();
      } catch (CompletionException ended) {
        return unexpected(inbound, ended);
      }
    } catch (ExecutionException | CancellationException e) {
      return unexpected(inbound, e);
    }
  }

  /** A signal withdrawn because the thread waiting for it was interrupted. */
  private static Outcome interrupted(InboundSignal inbound) {
    return new Outcome.Failed(
        inbound, Optional.empty(), Outcome.FailureCause.DEADLINE_EXCEEDED, "interrupted");
  }

  /**
   * {@link #conclude} on the thread that answers the sender, where an Error must not escape to the
   * HTTP layer as a 500: the sender then hears the failure it retries, as an unaudited outcome.
   */
  private Outcome concludeGuarded(Outcome outcome, RequestContext context) {
    try {
      return conclude(outcome, context);
    } catch (Error e) {
      log.error("concluding a signal failed", e);
      return unaudited(outcome, AUDIT_NOT_RECORDED);
    }
  }

  /**
   * The outcome once recorded, or a deadline failure once the deadline passed with the signal still
   * queued (it is then withdrawn and the returned future is cancelled).
   */
  private Outcome waitUntilDeadline(
      CompletableFuture<Outcome> pending, InboundSignal inbound, RequestContext context)
      throws InterruptedException, ExecutionException {
    if (pending.isDone()) {
      return pending.get();
    }
    long left = nanosUntil(context.deadline());
    if (left <= 0) {
      return pending.cancel(false) ? deadlineExceeded(inbound) : pending.get();
    }
    try (DeadlineSweeper.Watch watch = DEADLINES.withdrawAfter(pending, left)) {
      try {
        return pending.get();
      } catch (CancellationException e) {
        if (watch.expired()) {
          return deadlineExceeded(inbound);
        }
        throw e;
      }
    }
  }

  /**
   * Nanoseconds left until {@code deadline}: none once it has passed, at most {@link #MAX_WAIT}.
   */
  private long nanosUntil(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative()) {
      return 0; // a deadline centuries past would overflow
    }
    return left.compareTo(MAX_WAIT) > 0 ? MAX_WAIT.toNanos() : left.toNanos();
  }

  private static Outcome deadlineExceeded(InboundSignal inbound) {
    return new Outcome.Failed(
        inbound,
        Optional.empty(),
        Outcome.FailureCause.DEADLINE_EXCEEDED,
        "request deadline exceeded before the signal was recorded");
  }

  /** Resolves and queues the signal; failures before it is queued are outcomes too. */
  private CompletableFuture<Outcome> recorded(
      InboundSignal inbound, RequestContext context, boolean here) {
    try {
      return resolveAndRecord(inbound, context.deadline(), here);
    } catch (InvalidSignalException e) {
      return CompletableFuture.completedFuture(new Outcome.Invalid(inbound, e.getMessage()));
    } catch (TransientBackendException e) {
      return CompletableFuture.completedFuture(failed(inbound, Optional.empty(), e));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(unexpected(inbound, e));
    }
  }

  /** The last stages: the audit trail, then the observers, which see what the sender is told. */
  private Outcome conclude(Outcome outcome, RequestContext context) {
    Outcome answered = audited(outcome, context);
    try {
      observer.completed(answered, context);
    } catch (RuntimeException e) {
      log.error("an outcome observer failed", e);
    }
    return answered;
  }

  /** {@code outcome} as the sender must hear it when its audit trail may not be durable. */
  private static Outcome unaudited(Outcome outcome, String why) {
    return outcome.settled()
        ? new Outcome.Failed(
            outcome.inbound(), outcome.signal(), Outcome.FailureCause.AUDIT_UNAVAILABLE, why)
        : outcome; // already a failure the sender retries
  }

  private Outcome audited(Outcome outcome, RequestContext context) {
    try {
      audit.record(outcome, context);
      return outcome;
    } catch (RuntimeException e) {
      if (!(e instanceof AuditNotRecordedException)) {
        log.error("recording an audit trail failed unexpectedly", e);
      }
      return unaudited(outcome, AUDIT_NOT_RECORDED + ": " + e.getMessage());
    }
  }

  /**
   * The processor's answer to a bug or an unforeseen failure: the sender retries, the cause is
   * logged once here.
   */
  private static Outcome unexpected(InboundSignal inbound, Throwable error) {
    Throwable cause =
        error instanceof CompletionException || error instanceof ExecutionException
            ? error.getCause()
            : error;
    log.error("processing a signal failed unexpectedly", cause);
    return new Outcome.Failed(
        inbound,
        Optional.empty(),
        Outcome.FailureCause.BACKEND_UNAVAILABLE,
        "processing failed unexpectedly");
  }

  /** The outcome a sender waits for; cancelling it withdraws the signal while it is queued. */
  private static final class Withdrawable extends CompletableFuture<Outcome> {
    private final CompletableFuture<Outcome> source;

    Withdrawable(CompletableFuture<Outcome> source) {
      this.source = source;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return source.cancel(false) && super.cancel(false);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  private CompletableFuture<Outcome> resolveAndRecord(
      InboundSignal inbound, Instant deadline, boolean here) {
    if (isForeign(inbound)) {
      // its target lives in another cluster: nothing here can be resolved or checked
      return CompletableFuture.completedFuture(
          new Outcome.Rejected(Signal.foreign(inbound), Outcome.Rejected.FOREIGN_CLUSTER));
    }
    IncidentFields.check(inbound);
    boolean ignoreResolution = inbound.resolved() && resolvedAlerts == ResolvedAlerts.IGNORE;
    Signal signal;
    try {
      signal = Signal.resolved(inbound, resolver.resolveOwner(inbound));
    } catch (InvalidSignalException e) {
      if (!ignoreResolution || !inbound.namesAResource()) {
        throw e;
      }
      // A condition often resolves because its pod is gone. Its owner cannot be found then, so
      // whether an incident is active is unknown; answering the resolution as invalid would only
      // make the sender log an error for something that needs nothing. Scope still applies.
      return CompletableFuture.completedFuture(
          ownerUnknown(Signal.resolved(inbound, inbound.primaryTarget())));
    }
    observer.resolved(signal);
    try {
      if (!scope.isManaged(signal.target())) {
        return CompletableFuture.completedFuture(
            new Outcome.Rejected(signal, Outcome.Rejected.UNMANAGED_RESOURCE));
      }
    } catch (TransientBackendException e) {
      return CompletableFuture.completedFuture(failed(inbound, Optional.of(signal), e));
    }
    if (ignoreResolution) {
      return CompletableFuture.completedFuture(
          new Outcome.Resolved(signal, recorder.activeIncident(signal)));
    }
    return here ? recorder.recordHereIfIdle(signal, deadline) : recorder.record(signal, deadline);
  }

  private Outcome ownerUnknown(Signal asSent) {
    observer.resolved(asSent);
    try {
      return scope.isManaged(asSent.target())
          ? Outcome.Resolved.ownerUnknown(asSent)
          : new Outcome.Rejected(asSent, Outcome.Rejected.UNMANAGED_RESOURCE);
    } catch (TransientBackendException e) {
      return failed(asSent.details(), Optional.of(asSent), e);
    }
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
