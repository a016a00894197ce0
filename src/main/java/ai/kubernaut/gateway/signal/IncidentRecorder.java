package ai.kubernaut.gateway.signal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * Records signals on incidents: opens a new incident when no existing one absorbs the signal, else
 * counts the signal on the incident that does. Signals for one fingerprint are handled one batch at
 * a time, and all signals that arrived while a batch was being written are counted together in the
 * next single conditional write.
 *
 * <p>Accounting rule: an incident's occurrence count equals the number of signals acknowledged for
 * it. A signal is acknowledged only once the write that counts it has succeeded.
 */
public final class IncidentRecorder {

  private static final int MAX_CONFLICTS = 8;

  /**
   * How batches are run.
   *
   * @param executor runs the per-fingerprint batches
   * @param maxBatch most signals folded into one write
   * @param burstPause how a fingerprint's lane waits for the rest of a burst, see {@link
   *     GroupCommitQueue}
   * @param batchSizes told the size of every batch written, for metrics
   */
  public record GroupCommit(
      Executor executor, int maxBatch, Runnable burstPause, IntConsumer batchSizes) {}

  private final IncidentStore store;
  private final Clock clock;
  private final IntConsumer batchSizes;
  private final GroupCommitQueue<Fingerprint, Signal, Outcome> queue;

  public IncidentRecorder(IncidentStore store, Clock clock, GroupCommit groupCommit) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.batchSizes = groupCommit.batchSizes();
    this.queue =
        new GroupCommitQueue<>(
            this::recordBatch,
            groupCommit.executor(),
            groupCommit.maxBatch(),
            groupCommit.burstPause());
  }

  /** Queues the signal and completes once it is recorded (or has definitely failed). */
  public CompletableFuture<Outcome> record(Signal signal) {
    return queue.submit(signal.fingerprint(), signal);
  }

  private List<Outcome> recordBatch(Fingerprint fingerprint, List<Signal> batch) {
    batchSizes.accept(batch.size());
    try {
      return countOnIncident(fingerprint, batch);
    } catch (TransientBackendException e) {
      return batch.stream().map(s -> failed(s, e)).toList();
    }
  }

  /**
   * Decides from the cache first. Folding into an existing incident is a conditional write, so a
   * stale cache costs a conflict and a re-read, never a lost count. Opening an incident is only
   * done after an uncached read confirms no incident absorbs the signal, and it is claimed by its
   * deterministic name: replicas that reach the same decision collide on the create.
   */
  private List<Outcome> countOnIncident(Fingerprint fingerprint, List<Signal> batch) {
    Instant now = clock.instant();
    List<IncidentState> known = store.find(fingerprint);
    boolean confirmed = false;
    for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
      DedupDecision decision = DedupPolicy.decide(known, now);
      if (decision instanceof DedupDecision.FoldInto fold) {
        try {
          IncidentState target = fold.incident();
          IncidentState written =
              store.writeOccurrences(target, target.countedWith(batch.size(), now));
          return outcomes(batch, target.occurrenceCount(), written, false, fold.reason());
        } catch (IncidentStore.ConflictException | IncidentStore.IncidentGoneException e) {
          known = store.readThrough(fingerprint);
          confirmed = true;
          continue;
        }
      }
      if (!confirmed) {
        known = store.readThrough(fingerprint);
        confirmed = true;
        continue;
      }
      try {
        IncidentState created = store.create(batch.getFirst(), nextSequence(known));
        return countOnCreated(created, batch, now);
      } catch (IncidentStore.IncidentExistsException e) {
        known = store.readThrough(fingerprint);
      }
    }
    throw new TransientBackendException(
        "incident for fingerprint " + fingerprint + " kept changing; gave up after conflicts",
        null,
        new ApiError(409, "Conflict"));
  }

  private List<Outcome> countOnCreated(IncidentState created, List<Signal> batch, Instant now) {
    IncidentState target = created;
    for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
      try {
        IncidentState written =
            store.writeOccurrences(target, target.countedWith(batch.size(), now));
        return outcomes(
            batch, target.occurrenceCount(), written, true, DedupDecision.Reason.ACTIVE);
      } catch (IncidentStore.ConflictException e) {
        target = store.read(target);
      } catch (IncidentStore.IncidentGoneException e) {
        throw new TransientBackendException(
            created.ref() + " was deleted right after it was created");
      }
    }
    throw new TransientBackendException(created.ref() + " kept changing; gave up after conflicts");
  }

  /** The next incident number: one past the highest this fingerprint has had. */
  static int nextSequence(List<IncidentState> incidents) {
    return 1 + incidents.stream().mapToInt(IncidentState::sequence).max().orElse(0);
  }

  private static List<Outcome> outcomes(
      List<Signal> batch,
      int countBefore,
      IncidentState written,
      boolean created,
      DedupDecision.Reason reason) {
    OccurrenceCount total = written.occurrences().orElseThrow();
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      OccurrenceCount upToThis =
          new OccurrenceCount(total.firstSeenAt(), total.lastSeenAt(), countBefore + i + 1);
      Signal signal = batch.get(i);
      outcomes.add(
          created && i == 0
              ? new Outcome.Created(signal, written, upToThis)
              : new Outcome.Duplicate(signal, written, upToThis, reason));
    }
    return outcomes;
  }

  private static Outcome failed(Signal signal, TransientBackendException e) {
    return new Outcome.Failed(
        signal.details(),
        java.util.Optional.of(signal),
        Outcome.FailureCause.BACKEND_UNAVAILABLE,
        e.getMessage(),
        e.apiError());
  }
}
