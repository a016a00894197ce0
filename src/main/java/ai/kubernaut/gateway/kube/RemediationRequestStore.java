package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.CreateWindow;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.IncidentClaim;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.IncidentStore;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.signal.TransientBackendException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RemediationRequests in the controller namespace. Reads come from a watched cache indexed by
 * fingerprint plus this process's own writes; writes go to the API server, conditional on the
 * version read.
 */
public final class RemediationRequestStore implements IncidentStore, AutoCloseable {

  private final RemediationRequestApi api;
  private final String namespace;
  private final ApiCalls calls;
  private final RemediationRequestMapper mapper;
  private final Clock clock;
  private final OwnWrites ownWrites;
  private final IncidentIndex index;
  private final RemediationRequestWatch watch;
  private final KubeMetrics metrics;
  private final IncidentClaims claims;
  private final Duration requestTimeout;

  RemediationRequestStore(
      KubernetesClient client,
      String namespace,
      ApiCalls calls,
      RemediationRequestMapper mapper,
      IncidentClaims claims,
      Clock clock,
      KubeMetrics metrics) {
    this.claims = Objects.requireNonNull(claims, "claims");
    this.requestTimeout = requestTimeoutOf(client);
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.api = new RemediationRequestApi(client, namespace, calls, clock);
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.calls = Objects.requireNonNull(calls, "calls");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownWrites = new OwnWrites(clock, Duration.ofMinutes(5));
    this.index = new IncidentIndex(mapper, ownWrites);
    this.watch = new RemediationRequestWatch(client, namespace, index, Duration.ofMinutes(5));
  }

  /**
   * How long one request of the client may last at most: setting up a connection (the connect
   * timeout) and then waiting for the answer (the request timeout). Zero when it has no request
   * timeout (then no create of a claimed incident can be sent, since none can be known to end
   * within its window).
   */
  private static Duration requestTimeoutOf(KubernetesClient client) {
    Integer millis = client.getConfiguration().getRequestTimeout();
    if (millis == null || millis <= 0) {
      return Duration.ZERO;
    }
    Integer connect = client.getConfiguration().getConnectionTimeout();
    return Duration.ofMillis(millis + (connect == null ? 0 : Math.max(0, connect)));
  }

  /** Starts the watch; {@link #synced()} turns true once the initial list has arrived. */
  public void start() {
    watch.start();
  }

  public boolean synced() {
    return watch.synced();
  }

  public String namespace() {
    return namespace;
  }

  private static final int MAX_CREATE_ROUNDS = 8;

  @Override
  public List<IncidentState> find(Fingerprint fingerprint) {
    return List.copyOf(
        ownWrites.overlay(fingerprint.value(), index.find(fingerprint.value())).values());
  }

  @Override
  public List<IncidentState> readThrough(Fingerprint fingerprint, Instant deadline) {
    List<RemediationRequest> items =
        api.listByFingerprint(fingerprint, Deadline.at(deadline, clock));
    Map<String, IncidentState> states = new LinkedHashMap<>();
    for (RemediationRequest rr : items) {
      IncidentState state = mapper.toState(rr);
      if (state.fingerprint().equals(fingerprint.value())) {
        remember(state);
        states.put(state.name(), state);
      }
    }
    // Without the field selector, incidents created by other writers (the Go Gateway, ApiFrontend),
    // which carry no fingerprint label, are found only in the cache, which holds every
    // RemediationRequest of the namespace.
    index.find(fingerprint.value()).values().stream()
        .filter(s -> s.sequence() == 0)
        .forEach(s -> states.putIfAbsent(s.name(), s));
    return List.copyOf(states.values());
  }

  @Override
  public IncidentState read(IncidentState incident, Instant deadline) {
    RemediationRequest rr = api.get(incident.name(), Deadline.at(deadline, clock));
    if (rr == null) {
      ownWrites.forget(incident);
      throw new IncidentGoneException(incident.ref() + " no longer exists");
    }
    IncidentState state = mapper.toState(rr);
    remember(state);
    return state;
  }

  @Override
  public IncidentClaim readClaim(Fingerprint fingerprint, int highestKnown, Instant deadline) {
    boolean incidentsKnown = find(fingerprint).stream().anyMatch(s -> s.sequence() > 0);
    return claims.current(fingerprint, incidentsKnown, highestKnown, Deadline.at(deadline, clock));
  }

  @Override
  public IncidentClaim claim(
      Fingerprint fingerprint, IncidentClaim seen, int sequence, Instant deadline) {
    return claims.take(fingerprint, seen, sequence, Deadline.at(deadline, clock));
  }

  /**
   * A new incident is created under its deterministic name: a create that succeeds acquired it, a
   * 409 means another writer (another replica that saw the same claim) created it first. After a
   * create that may have been applied, the object under that name tells whose it is.
   *
   * <p>A send (or re-send) of the create is made only while a request that lasts the client's whole
   * request timeout still ends within the claim's window: a reader moves past the claim after that
   * window, and a create reaching the server later would open a second incident beside the one the
   * reader opens.
   */
  @Override
  public IncidentState create(Signal signal, int sequence, Instant deadline, CreateWindow window) {
    Deadline budget = Deadline.at(deadline, clock);
    Deadline sends = Deadline.forCreate(deadline, clock, window, requestTimeout);
    RemediationRequest request = mapper.newRequest(signal, sequence, namespace, clock.instant());
    String name = request.getMetadata().getName();
    String creationId = RemediationRequestMapper.creationId(request);
    AmbiguousWriteException uncertainty = null;
    for (int attempt = 1; ; attempt++) {
      if (attempt > MAX_CREATE_ROUNDS) {
        throw new TransientBackendException(
            "CREATE remediationrequest " + name + " kept conflicting with a vanishing object");
      }
      if (!window.admits(System.nanoTime(), requestTimeout)) {
        throw new TransientBackendException(
            "CREATE remediationrequest "
                + name
                + " not sent: a request may last up to "
                + requestTimeout.toMillis()
                + " ms (the Kubernetes client's request timeout) and would end after its claim's"
                + " opening window of "
                + IncidentClaims.OPENING_WINDOW.toSeconds()
                + " s; retry shortly");
      }
      try {
        RemediationRequest created = api.create(request, sends);
        return acquired(created);
      } catch (AmbiguousWriteException e) {
        uncertainty = e;
      } catch (KubernetesClientException e) {
        if (!ApiFailures.isConflict(e)) {
          throw RemediationRequestApi.unavailableIfNotFound(e, "CREATE remediationrequest " + name);
        }
        metrics.incidentClaimContended();
      }
      RemediationRequest holder = api.get(name, budget.forReadBack());
      if (holder == null) {
        // not applied, or created and deleted at once: send it again
        if (uncertainty != null) {
          calls.pauseBeforeResend("CREATE remediationrequest " + name, attempt, sends, uncertainty);
        }
        continue;
      }
      if (creationId.equals(RemediationRequestMapper.creationId(holder))) {
        return acquired(holder);
      }
      IncidentState held = mapper.toState(holder);
      remember(held);
      throw new IncidentExistsException(namespace + "/" + name + " already exists", held);
    }
  }

  private IncidentState acquired(RemediationRequest created) {
    metrics.incidentClaimAcquired();
    IncidentState state = mapper.toState(created);
    remember(state);
    return state;
  }

  /**
   * Writes the count conditionally. The record's {@code lastSeenAt} is stamped to the microsecond
   * so that, after a write that may have been applied, reading the incident back tells whether it
   * was: the stamp is there, the version is unchanged (not applied: send the same guarded write
   * again), or another writer changed the count in between (cannot tell: fail, so the sender
   * retries rather than the count being written twice).
   */
  @Override
  public IncidentState writeOccurrences(
      IncidentState incident, OccurrenceCount occurrences, Instant deadline) {
    Deadline budget = Deadline.at(deadline, clock);
    OccurrenceCount stamped = stamp(occurrences);
    String patch = mapper.occurrencePatch(incident.resourceVersion(), stamped);
    String what = "PATCH remediationrequest " + incident.name() + " status";
    AmbiguousWriteException uncertainty = null;
    for (int attempt = 1; ; attempt++) {
      try {
        RemediationRequest updated = api.patchStatus(incident, patch, budget);
        IncidentState state = mapper.toState(updated);
        remember(state);
        return state;
      } catch (AmbiguousWriteException e) {
        uncertainty = e;
      } catch (KubernetesClientException e) {
        boolean conflict = ApiFailures.isConflict(e);
        if (!conflict && !ApiFailures.isNotFound(e)) {
          throw e;
        }
        if (uncertainty == null) {
          if (conflict) {
            throw new ConflictException(
                incident.ref() + " changed since version " + incident.resourceVersion());
          }
          ownWrites.forget(incident);
          throw new IncidentGoneException(incident.ref() + " no longer exists");
        }
      }
      RemediationRequest current = api.get(incident.name(), budget.forReadBack());
      if (current == null) {
        ownWrites.forget(incident);
        throw new TransientBackendException(
            what + " failed and " + incident.ref() + " is gone; it is unknown whether it counted",
            uncertainty,
            uncertainty.apiError().orElse(null));
      }
      IncidentState state = mapper.toState(current);
      remember(state);
      if (state.occurrences().filter(o -> wroteThis(o, stamped)).isPresent()) {
        return state;
      }
      if (state.resourceVersion().equals(incident.resourceVersion())) {
        calls.pauseBeforeResend(what, attempt, budget, uncertainty);
        continue;
      }
      if (state.occurrences().equals(incident.occurrences())) {
        throw new ConflictException(incident.ref() + " changed and the count was not applied");
      }
      throw new TransientBackendException(
          what + " failed and another writer counted since; it is unknown whether it counted",
          uncertainty,
          uncertainty.apiError().orElse(null));
    }
  }

  private static boolean wroteThis(OccurrenceCount found, OccurrenceCount stamped) {
    return found.count() == stamped.count() && found.lastSeenAt().equals(stamped.lastSeenAt());
  }

  /**
   * Makes the record's {@code lastSeenAt} tell this write apart from any other: the clock to the
   * millisecond, and random microseconds below it.
   */
  private static OccurrenceCount stamp(OccurrenceCount occurrences) {
    Instant last =
        occurrences
            .lastSeenAt()
            .truncatedTo(ChronoUnit.MILLIS)
            .plus(ThreadLocalRandom.current().nextLong(1, 1000), ChronoUnit.MICROS);
    return new OccurrenceCount(occurrences.firstSeenAt(), last, occurrences.count());
  }

  /**
   * Keeps a state this process wrote or read through until the cache has caught up. The cache is
   * checked after recording it, so a watch event that raced ahead of this call still clears it.
   */
  private void remember(IncidentState state) {
    ownWrites.wrote(state);
    IncidentState cached = index.get(namespace, state.name());
    if (cached != null) {
      ownWrites.cacheSaw(cached);
    }
  }

  /** Number of own writes the cache has not caught up with yet. */
  public int pendingOwnWrites() {
    return ownWrites.size();
  }

  @Override
  public void close() {
    watch.close();
  }
}
