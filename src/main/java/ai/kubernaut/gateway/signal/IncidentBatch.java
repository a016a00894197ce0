package ai.kubernaut.gateway.signal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One attempt at recording a batch of signals of one fingerprint, deciding again after every
 * conflict: counts them on the incident that absorbs them, or opens the next incident.
 */
final class IncidentBatch {

  private static final int MAX_ROUNDS = 16;

  private final IncidentStore store;
  private final IncidentNumbering numbering;
  private final ClaimSightings sightings;
  private final Clock clock;
  private final Fingerprint fingerprint;
  private final List<Signal> signals;
  private final Instant deadline;
  private List<IncidentState> known;
  private boolean confirmed;
  private final Set<String> gone = new HashSet<>();
  private Optional<String> listedAfterClaim = Optional.empty();

  /** When {@link #confirm} last sent its list, on the clock claims' ages are measured on. */
  private Instant listedAt = Instant.MIN;

  IncidentBatch(
      IncidentStore store,
      ClaimSightings sightings,
      Clock clock,
      Fingerprint fingerprint,
      List<Signal> signals,
      Instant deadline) {
    this.store = store;
    this.numbering = new IncidentNumbering(store, sightings, fingerprint, deadline);
    this.sightings = sightings;
    this.clock = clock;
    this.fingerprint = fingerprint;
    this.signals = signals;
    this.deadline = deadline;
    this.known = store.find(fingerprint);
  }

  /**
   * Decides from the cache first. Folding into an existing incident is a conditional write, so a
   * stale cache costs a conflict and a re-read, never a lost count. Opening an incident is only
   * done after an uncached read confirms no incident absorbs the signal.
   */
  List<Outcome> record() {
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      Instant now = clock.instant();
      DedupDecision decision = DedupPolicy.decide(known, now);
      if (decision instanceof DedupDecision.FoldInto fold) {
        Optional<List<Outcome>> counted = countOn(fold.incident(), fold.reason(), now);
        if (counted.isPresent()) {
          return counted.get();
        }
        continue;
      }
      if (!confirmed) {
        confirm();
        continue;
      }
      Optional<List<Outcome>> opened = open(now);
      if (opened.isPresent()) {
        return opened.get();
      }
    }
    throw new TransientBackendException(
        "incident for fingerprint " + fingerprint + " kept changing; gave up after conflicts",
        null,
        new ApiError(409, "Conflict"));
  }

  private Optional<List<Outcome>> countOn(
      IncidentState target, DedupDecision.Reason reason, Instant now) {
    try {
      IncidentState written =
          store.writeOccurrences(target, target.countedWith(signals.size(), now), deadline);
      // The batch whose write gives an incident of ours its first count is the one that opened
      // it (exactly one can: the write is conditional on the count-less version), whether or
      // not this replica created the object.
      boolean opens = target.sequence() > 0 && target.occurrences().isEmpty();
      return Optional.of(outcomes(target.occurrenceCount(), written, opens, reason));
    } catch (IncidentStore.ConflictException | IncidentStore.IncidentGoneException e) {
      refresh(target);
      return Optional.empty();
    }
  }

  /**
   * Reads back by name the incident a write just failed on, which is all another replica's count or
   * the orchestrator's progress changed. Opening an incident after that still takes a full uncached
   * read first.
   */
  private void refresh(IncidentState changed) {
    try {
      known = merged(known, store.read(changed, deadline));
    } catch (IncidentStore.IncidentGoneException e) {
      known = known.stream().filter(s -> !s.name().equals(changed.name())).toList();
      gone.add(changed.name());
    }
    confirmed = false;
  }

  /**
   * Re-reads the fingerprint's incidents from the API server, bypassing the cache for ours;
   * incidents of other writers come as last seen by the cache or by {@link #refresh}.
   */
  private void confirm() {
    Map<String, IncidentState> byName = new LinkedHashMap<>();
    listedAt = sightings.now();
    store.readThrough(fingerprint, deadline).forEach(s -> byName.put(s.name(), s));
    known.stream()
        .filter(s -> s.sequence() == 0)
        .forEach(s -> byName.merge(s.name(), s, IncidentBatch::newer));
    gone.forEach(byName::remove);
    known = List.copyOf(byName.values());
    confirmed = true;
  }

  /**
   * Opens the next incident. The claim tells the highest number any replica has claimed; a claim
   * above every incident that exists is one another replica may still be creating, so this one
   * creates the same incident (the names collide) instead of the next.
   */
  private Optional<List<Outcome>> open(Instant now) {
    IncidentNumbering.Choice choice = numbering.choose(known, listedAfterClaim, now, listedAt);
    if (choice instanceof IncidentNumbering.Choice.ListAgain again) {
      listedAfterClaim = again.claimVersion();
      confirm();
      return Optional.empty();
    }
    IncidentNumbering.Choice.Open open = (IncidentNumbering.Choice.Open) choice;
    int sequence = open.sequence();
    CreateWindow window;
    try {
      window = numbering.take(open);
    } catch (IncidentStore.ConflictException e) {
      // A claim another replica took since this one read it may be for an incident it is
      // creating now: read again. One assumed absent only turned out to exist; reading it
      // (the next round) is enough.
      if (open.claim().source() != IncidentClaim.Source.ASSUMED) {
        confirm();
      }
      return Optional.empty();
    }
    try {
      IncidentState created = store.create(signals.getFirst(), sequence, deadline, window);
      return Optional.of(countOnCreated(created, now));
    } catch (InvalidSignalException e) {
      throw new RefusedSignalException(signals.getFirst(), e.getMessage());
    } catch (IncidentStore.IncidentExistsException e) {
      Optional<IncidentState> holder =
          e.holder().filter(h -> h.fingerprint().equals(fingerprint.value()));
      if (holder.isPresent()) {
        known = merged(known, holder.get());
      } else {
        // the name is held by an object of another fingerprint or that cannot be read: the next
        // number gets another name
        known = merged(known, placeholder(e.holder(), sequence));
      }
      return Optional.empty();
    }
  }

  private List<Outcome> countOnCreated(IncidentState created, Instant now) {
    IncidentState target = created;
    for (int attempt = 1; attempt <= MAX_ROUNDS; attempt++) {
      try {
        IncidentState written =
            store.writeOccurrences(target, target.countedWith(signals.size(), now), deadline);
        return outcomes(
            target.occurrenceCount(),
            written,
            target.occurrences().isEmpty(),
            DedupDecision.Reason.ACTIVE);
      } catch (IncidentStore.ConflictException e) {
        target = store.read(target, deadline);
      } catch (IncidentStore.IncidentGoneException e) {
        throw new TransientBackendException(
            created.ref() + " was deleted right after it was created");
      }
    }
    throw new TransientBackendException(created.ref() + " kept changing; gave up after conflicts");
  }

  private List<Outcome> outcomes(
      int countBefore, IncidentState written, boolean created, DedupDecision.Reason reason) {
    OccurrenceCount total = written.occurrences().orElseThrow();
    List<Outcome> outcomes = new ArrayList<>(signals.size());
    for (int i = 0; i < signals.size(); i++) {
      OccurrenceCount upToThis =
          new OccurrenceCount(total.firstSeenAt(), total.lastSeenAt(), countBefore + i + 1);
      Signal signal = signals.get(i);
      outcomes.add(
          created && i == 0
              ? new Outcome.Created(signal, written, upToThis)
              : new Outcome.Duplicate(signal, written, upToThis, reason));
    }
    return outcomes;
  }

  /** Of two views of one incident, the later version (versions are etcd revisions). */
  private static IncidentState newer(IncidentState a, IncidentState b) {
    try {
      return Long.parseLong(b.resourceVersion()) > Long.parseLong(a.resourceVersion()) ? b : a;
    } catch (NumberFormatException e) {
      return a;
    }
  }

  private static List<IncidentState> merged(List<IncidentState> known, IncidentState state) {
    List<IncidentState> result = new ArrayList<>(known);
    result.removeIf(s -> s.name().equals(state.name()));
    result.add(state);
    return List.copyOf(result);
  }

  /**
   * Stands for an incident number that is taken by an object this fingerprint cannot use; it is
   * terminal, so it only moves the next number past it.
   */
  private static IncidentState placeholder(Optional<IncidentState> holder, int sequence) {
    return new IncidentState(
        holder.map(IncidentState::name).orElse("#" + sequence),
        holder.map(IncidentState::namespace).orElse(""),
        holder.map(IncidentState::resourceVersion).orElse(""),
        "",
        sequence,
        Instant.EPOCH,
        "Cancelled",
        "",
        Optional.empty(),
        Optional.empty());
  }
}
