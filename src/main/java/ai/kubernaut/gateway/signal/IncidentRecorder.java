package ai.kubernaut.gateway.signal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records signals on incidents: opens a new incident when no existing one absorbs the signal, else
 * counts the signal on the incident that does. Signals for one fingerprint are handled one batch at
 * a time, and all signals that arrived while a batch was being written are counted together in the
 * next single conditional write.
 *
 * <p>Accounting rule: an incident's occurrence count equals the number of signals acknowledged for
 * it. A signal is acknowledged only once the write that counts it has succeeded.
 *
 * <p>Opening an incident takes the fingerprint's claim on the next incident number first (a
 * conditional write on an object that outlives the incidents), so numbers never go backwards when
 * finished incidents are deleted and replicas that decide together collide on the claim or on the
 * incident's name.
 */
public final class IncidentRecorder {

  private static final Logger log = LoggerFactory.getLogger(IncidentRecorder.class);

  /**
   * How batches are run.
   *
   * @param executor runs the per-fingerprint batches handed over from the thread that queued them
   * @param onCaller runs a batch on the calling thread before returning ({@code Runnable::run} or a
   *     wrapper of it), when its fingerprint was idle
   * @param maxBatch most signals folded into one write
   * @param burstPause how a fingerprint's lane waits for the rest of a burst, see {@link
   *     GroupCommitQueue}
   * @param batchSizes told the size of every batch written, for metrics
   */
  public record GroupCommit(
      Executor executor,
      Executor onCaller,
      int maxBatch,
      Runnable burstPause,
      IntConsumer batchSizes) {

    /** Batches run on the calling thread as they are. */
    public GroupCommit(
        Executor executor, int maxBatch, Runnable burstPause, IntConsumer batchSizes) {
      this(executor, Runnable::run, maxBatch, burstPause, batchSizes);
    }
  }

  private record Queued(Signal signal, Instant deadline) {}

  private final IncidentStore store;
  private final ClaimSightings sightings;
  private final Clock clock;
  private final IntConsumer batchSizes;
  private final Executor onCaller;
  private final GroupCommitQueue<Fingerprint, Queued, Outcome> queue;

  /** A recorder that judges claims' freshness on {@code clock}. */
  public IncidentRecorder(IncidentStore store, Clock clock, GroupCommit groupCommit) {
    this(store, new ClaimSightings(clock), clock, groupCommit);
  }

  /**
   * @param sightings when this replica first saw each fingerprint's claim, on its own clock
   */
  public IncidentRecorder(
      IncidentStore store, ClaimSightings sightings, Clock clock, GroupCommit groupCommit) {
    this.store = Objects.requireNonNull(store, "store");
    this.sightings = Objects.requireNonNull(sightings, "sightings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.batchSizes = groupCommit.batchSizes();
    this.onCaller = groupCommit.onCaller();
    this.queue =
        new GroupCommitQueue<>(
            this::recordBatch,
            groupCommit.executor(),
            groupCommit.maxBatch(),
            groupCommit.burstPause(),
            this::expired);
  }

  /** A signal whose sender stopped waiting before its batch was taken is never written. */
  private Optional<Outcome> expired(Queued queued) {
    if (clock.instant().isBefore(queued.deadline())) {
      return Optional.empty();
    }
    return Optional.of(
        new Outcome.Failed(
            queued.signal().details(),
            Optional.of(queued.signal()),
            Outcome.FailureCause.DEADLINE_EXCEEDED,
            "request deadline exceeded before the signal was recorded"));
  }

  /**
   * Queues the signal and completes once it is recorded (or has definitely failed). Cancelling the
   * returned future withdraws the signal if its write has not started yet; it then is never
   * recorded.
   *
   * @param deadline when the sender stops waiting; no API call for the signal starts after it
   */
  public CompletableFuture<Outcome> record(Signal signal, Instant deadline) {
    return queue.submit(signal.fingerprint(), new Queued(signal, deadline));
  }

  /**
   * Like {@link #record}, but when nothing is queued or being written for the signal's fingerprint
   * the write runs on the calling thread, and the returned future is complete on return.
   */
  public CompletableFuture<Outcome> recordHereIfIdle(Signal signal, Instant deadline) {
    return queue.submitAndRunIfIdle(signal.fingerprint(), new Queued(signal, deadline), onCaller);
  }

  /**
   * The active incident of the signal's fingerprint in the local view (cache plus this process's
   * own writes), without an API call; empty when none is active there.
   */
  public Optional<IncidentState> activeIncident(Signal signal) {
    return DedupPolicy.decide(store.find(signal.fingerprint()), clock.instant())
                instanceof DedupDecision.FoldInto fold
            && fold.reason() == DedupDecision.Reason.ACTIVE
        ? Optional.of(fold.incident())
        : Optional.empty();
  }

  /** Never throws: every failure becomes an outcome of the signals it concerns. */
  private List<Outcome> recordBatch(Fingerprint fingerprint, List<Queued> queued) {
    batchSizes.accept(queued.size());
    Instant deadline = queued.stream().map(Queued::deadline).max(Comparator.naturalOrder()).get();
    Map<Signal, Outcome> settled = new IdentityHashMap<>();
    List<Signal> batch = new ArrayList<>(queued.stream().map(Queued::signal).toList());
    while (!batch.isEmpty()) {
      try {
        List<Outcome> outcomes =
            new IncidentBatch(store, sightings, clock, fingerprint, batch, deadline).record();
        for (int i = 0; i < batch.size(); i++) {
          settled.put(batch.get(i), outcomes.get(i));
        }
        break;
      } catch (RefusedSignalException e) {
        // the API server refused the incident this signal would open; the others try without it
        settled.put(e.signal(), new Outcome.Invalid(e.signal().details(), e.getMessage()));
        batch.removeIf(s -> s == e.signal());
      } catch (TransientBackendException e) {
        batch.forEach(s -> settled.put(s, failed(s, e)));
        break;
      } catch (RuntimeException e) {
        log.error("recording {} signals for {} failed unexpectedly", batch.size(), fingerprint, e);
        TransientBackendException cause =
            new TransientBackendException("recording failed unexpectedly: " + e, e);
        batch.forEach(s -> settled.put(s, failed(s, cause)));
        break;
      }
    }
    return queued.stream().map(q -> settled.get(q.signal())).toList();
  }

  private static Outcome failed(Signal signal, TransientBackendException e) {
    return new Outcome.Failed(
        signal.details(),
        Optional.of(signal),
        Outcome.FailureCause.BACKEND_UNAVAILABLE,
        e.getMessage(),
        e.apiError());
  }
}
