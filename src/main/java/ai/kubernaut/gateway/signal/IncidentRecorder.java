package ai.kubernaut.gateway.signal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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

  private final IncidentStore store;
  private final Clock clock;
  private final GroupCommitQueue<Fingerprint, Signal, Outcome> queue;

  public IncidentRecorder(IncidentStore store, Clock clock, Executor executor, int maxBatch) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.queue = new GroupCommitQueue<>(this::recordBatch, executor, maxBatch);
  }

  /** Queues the signal and completes once it is recorded (or has definitely failed). */
  public CompletableFuture<Outcome> record(Signal signal) {
    return queue.submit(signal.fingerprint(), signal);
  }

  private List<Outcome> recordBatch(Fingerprint fingerprint, List<Signal> batch) {
    try {
      return countOnIncident(fingerprint, batch);
    } catch (TransientBackendException e) {
      return batch.stream().map(s -> failed(s, e)).toList();
    }
  }

  private List<Outcome> countOnIncident(Fingerprint fingerprint, List<Signal> batch) {
    Instant now = clock.instant();
    DedupDecision decision = DedupPolicy.decide(store.find(fingerprint), now);
    IncidentState created = null;
    for (int attempt = 1; attempt <= MAX_CONFLICTS; attempt++) {
      IncidentState target;
      DedupDecision.Reason reason = DedupDecision.Reason.ACTIVE;
      if (created != null) {
        target = created;
      } else if (decision instanceof DedupDecision.FoldInto fold) {
        target = fold.incident();
        reason = fold.reason();
      } else {
        created = store.create(batch.getFirst());
        target = created;
      }
      try {
        IncidentState written =
            store.writeOccurrences(target, target.countedWith(batch.size(), now));
        return outcomes(batch, target.occurrenceCount(), written, created != null, reason);
      } catch (IncidentStore.ConflictException e) {
        if (created != null) {
          created = store.read(created);
        } else {
          decision = DedupPolicy.decide(store.readThrough(fingerprint), now);
        }
      } catch (IncidentStore.IncidentGoneException e) {
        created = null;
        decision = DedupPolicy.decide(store.readThrough(fingerprint), now);
      }
    }
    throw new TransientBackendException(
        "incident for fingerprint " + fingerprint + " kept changing; gave up after conflicts",
        null,
        new ApiError(409, "Conflict"));
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
