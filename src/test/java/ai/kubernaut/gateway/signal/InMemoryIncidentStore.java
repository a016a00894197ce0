package ai.kubernaut.gateway.signal;

import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A hand-written incident store with API-server semantics: a global version counter and writes that
 * fail with a conflict when the caller's version is stale. Its "cache" can be made to lag.
 *
 * <p>The server has its own clock, apart from every replica's: it stamps each claim write with its
 * time and each answer with its time, both in whole seconds as the API server does (a Lease's
 * {@code managedFields} time, a response's {@code Date}), and a claim read or written carries the
 * age those two stamps give. Tests move it with {@link #serverClock()}; it stands still otherwise.
 */
final class InMemoryIncidentStore implements IncidentStore {

  private final Map<String, IncidentState> objects = new ConcurrentHashMap<>();
  private final Map<String, IncidentState> cache = new ConcurrentHashMap<>();
  private final Map<String, StoredClaim> claims = new ConcurrentHashMap<>();
  private final MutableClock serverClock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
  private volatile boolean serverStamps = true;

  /** A claim as the server keeps it, with the server's time of its write. */
  private record StoredClaim(IncidentClaim claim, Instant writtenAt) {}

  private final AtomicLong version = new AtomicLong();
  private final AtomicInteger creates = new AtomicInteger();
  private final AtomicInteger createAttempts = new AtomicInteger();
  private volatile CountDownLatch createGate = new CountDownLatch(0);
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger readThroughs = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private volatile boolean cacheFrozen;
  private volatile RuntimeException failure;
  private volatile Duration writeLatency = Duration.ZERO;
  private volatile Duration requestTimeout = Duration.ofSeconds(5);
  private final AtomicReference<Runnable> beforeClaimRead = new AtomicReference<>();
  private volatile Clock claimantClock =
      Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

  @Override
  public List<IncidentState> find(Fingerprint fingerprint) {
    return (cacheFrozen ? cache : objects)
        .values().stream().filter(s -> s.fingerprint().equals(fingerprint.value())).toList();
  }

  @Override
  public List<IncidentState> readThrough(Fingerprint fingerprint, Instant deadline) {
    readThroughs.incrementAndGet();
    failIfAsked();
    return objects.values().stream()
        .filter(s -> s.fingerprint().equals(fingerprint.value()))
        .toList();
  }

  @Override
  public IncidentState read(IncidentState incident, Instant deadline) {
    reads.incrementAndGet();
    failIfAsked();
    IncidentState current = objects.get(incident.name());
    if (current == null) {
      throw new IncidentGoneException(incident.name());
    }
    return current;
  }

  @Override
  public IncidentClaim readClaim(Fingerprint fingerprint, int highestKnown, Instant deadline) {
    Runnable hook = beforeClaimRead.getAndSet(null);
    if (hook != null) {
      hook.run();
    }
    return readClaimNow(fingerprint);
  }

  private synchronized IncidentClaim readClaimNow(Fingerprint fingerprint) {
    failIfAsked();
    StoredClaim stored = claims.get(fingerprint.value());
    return stored == null ? IncidentClaim.none() : answered(stored);
  }

  /** The claim as an answer of the server carries it: aged by the server's two stamps. */
  private IncidentClaim answered(StoredClaim stored) {
    if (!serverStamps) {
      return stored.claim();
    }
    Instant date = serverClock.instant().truncatedTo(ChronoUnit.SECONDS);
    return stored.claim().agedOnServer(IncidentClaim.serverAge(stored.writtenAt(), date));
  }

  private StoredClaim stored(IncidentClaim claim) {
    return new StoredClaim(claim, serverClock.instant().truncatedTo(ChronoUnit.SECONDS));
  }

  /** The API server's clock, apart from every replica's; it moves only when a test moves it. */
  MutableClock serverClock() {
    return serverClock;
  }

  /** From now on the server stamps no write time and no date, as fabric8's mock server does. */
  void serverGivesNoStamps() {
    serverStamps = false;
  }

  /** Runs {@code action} once, when a claim is next read, before it is read. */
  void beforeNextClaimRead(Runnable action) {
    beforeClaimRead.set(action);
  }

  @Override
  public synchronized IncidentClaim claim(
      Fingerprint fingerprint, IncidentClaim seen, int sequence, Instant deadline) {
    failIfAsked();
    StoredClaim stored = claims.get(fingerprint.value());
    IncidentClaim current = stored == null ? IncidentClaim.none() : stored.claim();
    if (!current.version().equals(seen.version())) {
      throw new ConflictException("claim of " + fingerprint);
    }
    IncidentClaim taken =
        new IncidentClaim(
            sequence,
            claimantClock.instant().plusSeconds(30),
            false,
            Optional.of(Long.toString(version.incrementAndGet())),
            IncidentClaim.Source.READ);
    StoredClaim written = stored(taken);
    claims.put(fingerprint.value(), written);
    return answered(written);
  }

  /** Claims taken from now on are stamped by a claimant whose clock reads {@code clock}. */
  void stampClaimsWith(Clock clock) {
    claimantClock = clock;
  }

  /**
   * Another writer takes the fingerprint's claim as it would: on {@code sequence} (0 for a plain
   * lock that records no number, the Go Gateway's), stamped fresh until {@code until} on its clock;
   * the server stamps the write with its own time.
   */
  synchronized void claimByOtherWriter(
      Fingerprint fingerprint, int sequence, boolean plainLock, Instant until) {
    claims.put(
        fingerprint.value(),
        stored(
            new IncidentClaim(
                sequence,
                until,
                plainLock,
                Optional.of(Long.toString(version.incrementAndGet())),
                IncidentClaim.Source.READ)));
  }

  /** Forgets every claim, as if its Lease had been deleted. */
  synchronized void dropClaims() {
    claims.clear();
  }

  @Override
  public IncidentState create(Signal signal, int sequence, Instant deadline, CreateWindow window) {
    if (!window.admits(System.nanoTime(), requestTimeout)) {
      throw new TransientBackendException(
          "CREATE incident "
              + sequence
              + " not sent: a request lasting up to "
              + requestTimeout.toSeconds()
              + " s would end after its claim's opening window");
    }
    createAttempts.incrementAndGet();
    awaitGate();
    return createNow(signal, sequence);
  }

  private synchronized IncidentState createNow(Signal signal, int sequence) {
    failIfAsked();
    pause();
    String name = "rr-" + signal.fingerprint().prefix(12) + "-" + sequence;
    if (objects.containsKey(name)) {
      throw new IncidentExistsException(name, objects.get(name));
    }
    creates.incrementAndGet();
    IncidentState state =
        new IncidentState(
            name,
            "kubernaut-system",
            Long.toString(version.incrementAndGet()),
            signal.fingerprint().value(),
            sequence,
            Instant.parse("2026-11-21T00:00:00Z").plusSeconds(creates.get()),
            "",
            "",
            Optional.empty(),
            Optional.empty());
    objects.put(name, state);
    return state;
  }

  @Override
  public synchronized IncidentState writeOccurrences(
      IncidentState incident, OccurrenceCount occurrences, Instant deadline) {
    failIfAsked();
    pause();
    IncidentState current = objects.get(incident.name());
    if (current == null) {
      throw new IncidentGoneException(incident.name());
    }
    if (!current.resourceVersion().equals(incident.resourceVersion())) {
      throw new ConflictException(incident.name());
    }
    writes.incrementAndGet();
    IncidentState updated =
        new IncidentState(
            current.name(),
            current.namespace(),
            Long.toString(version.incrementAndGet()),
            current.fingerprint(),
            current.sequence(),
            current.createdAt(),
            current.phase(),
            current.outcome(),
            current.nextAllowedExecution(),
            Optional.of(occurrences));
    objects.put(current.name(), updated);
    return updated;
  }

  /** Another writer (the orchestrator) changes an incident; its version moves on. */
  synchronized void changeByOtherWriter(String name, UnaryOperator<IncidentState> change) {
    IncidentState changed = change.apply(objects.get(name));
    objects.put(
        name,
        new IncidentState(
            changed.name(),
            changed.namespace(),
            Long.toString(version.incrementAndGet()),
            changed.fingerprint(),
            changed.sequence(),
            changed.createdAt(),
            changed.phase(),
            changed.outcome(),
            changed.nextAllowedExecution(),
            changed.occurrences()));
  }

  void delete(String name) {
    objects.remove(name);
  }

  /** From now on {@link #find} answers from a snapshot taken now, like a lagging informer. */
  void freezeCache() {
    cache.clear();
    cache.putAll(objects);
    cacheFrozen = true;
  }

  /** How long a request to this store may last at most, as a client's request timeout says. */
  void requestsTimeOutAfter(Duration timeout) {
    requestTimeout = timeout;
  }

  /** Holds every create until {@code gate} opens, as if the requests were in flight together. */
  void holdCreatesUntil(CountDownLatch gate) {
    createGate = gate;
  }

  /** Empties the frozen cache, as if the informer had not yet seen any incident. */
  void clearCache() {
    cache.clear();
  }

  int createAttempts() {
    return createAttempts.get();
  }

  /** Makes creates and writes take as long as an API round trip would. */
  void simulateWriteLatency(Duration latency) {
    writeLatency = latency;
  }

  void failWith(RuntimeException e) {
    failure = e;
  }

  List<IncidentState> all() {
    return new ArrayList<>(objects.values());
  }

  int creates() {
    return creates.get();
  }

  int writes() {
    return writes.get();
  }

  int reads() {
    return reads.get();
  }

  int readThroughs() {
    return readThroughs.get();
  }

  private void awaitGate() {
    try {
      createGate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pause() {
    if (!writeLatency.isZero()) {
      try {
        Thread.sleep(writeLatency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void failIfAsked() {
    if (failure != null) {
      throw failure;
    }
  }
}
