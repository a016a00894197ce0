package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.IncidentClaim;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.IncidentStore;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.signal.TransientBackendException;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * RemediationRequests in the controller namespace. Reads come from an informer indexed by
 * fingerprint plus this process's own writes; writes go to the API server, conditional on the
 * version read.
 */
public final class RemediationRequestStore implements IncidentStore, AutoCloseable {

  private final MixedOperation<
          RemediationRequest,
          KubernetesResourceList<RemediationRequest>,
          Resource<RemediationRequest>>
      requests;
  private final String namespace;
  private final ApiCalls calls;
  private final RemediationRequestMapper mapper;
  private final Clock clock;
  private final OwnWrites ownWrites;
  private final IncidentIndex index;
  private final SharedIndexInformer<RemediationRequest> informer;
  private final Counter claimsAcquired;
  private final Counter claimsContended;
  private final IncidentClaims claims;

  /** When the server last refused the fingerprint field selector; null while it accepts it. */
  private final AtomicReference<Instant> fieldSelectorRefusedAt = new AtomicReference<>();

  /**
   * How long lookups go by label after the server refused the field selector, before asking again.
   */
  static final Duration FIELD_SELECTOR_RETRY = Duration.ofMinutes(5);

  /** The CRD's selectable field that holds an incident's fingerprint. */
  static final String FINGERPRINT_FIELD = "spec.signalFingerprint";

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(RemediationRequestStore.class);

  RemediationRequestStore(
      KubernetesClient client,
      String namespace,
      ApiCalls calls,
      RemediationRequestMapper mapper,
      IncidentClaims claims,
      Clock clock,
      MeterRegistry meters) {
    this.claims = Objects.requireNonNull(claims, "claims");
    this.claimsAcquired = claims(meters, "acquired");
    this.claimsContended = claims(meters, "contended");
    this.requests = client.resources(RemediationRequest.class);
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.calls = Objects.requireNonNull(calls, "calls");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownWrites = new OwnWrites(clock, Duration.ofMinutes(5));
    this.index = new IncidentIndex(mapper, ownWrites);
    this.informer =
        requests.inNamespace(namespace).withLimit(MetadataCaches.LIST_PAGE).runnableInformer(0);
    informer.itemStore(index);
  }

  /** Starts the informer; {@link #synced()} turns true once the initial list has arrived. */
  public void start() {
    informer.start();
  }

  public boolean synced() {
    return informer.hasSynced();
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
        calls.run(
            "LIST remediationrequests by fingerprint",
            Deadline.at(deadline, clock),
            () -> {
              try {
                return listByFingerprint(fingerprint);
              } catch (KubernetesClientException e) {
                throw unavailableIfNotFound(e, "LIST remediationrequests");
              }
            });
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

  /**
   * The namespace's RemediationRequests of {@code fingerprint}, read from the server: selected by
   * the CRD's selectable field {@code spec.signalFingerprint}, which finds other writers' incidents
   * too. Where the server says the field is not selectable (a CRD without selectable fields,
   * Kubernetes before 1.31, a server not yet serving the CRD's update), by this gateway's
   * fingerprint label, asking with the field selector again every {@link #FIELD_SELECTOR_RETRY}.
   * Any other refusal fails the read. fabric8's mock answers the selector with nothing; embedded
   * mode and the test mocks evaluate it themselves ({@code SelectableFieldFilter}).
   */
  private List<RemediationRequest> listByFingerprint(Fingerprint fingerprint) {
    Instant refused = fieldSelectorRefusedAt.get();
    if (refused == null || !clock.instant().isBefore(refused.plus(FIELD_SELECTOR_RETRY))) {
      try {
        List<RemediationRequest> items =
            requests
                .inNamespace(namespace)
                .withField(FINGERPRINT_FIELD, fingerprint.value())
                .list()
                .getItems();
        if (refused != null && fieldSelectorRefusedAt.compareAndSet(refused, null)) {
          log.info(
              "the API server accepts the field selector {} again: other writers' incidents are"
                  + " found on the server",
              FINGERPRINT_FIELD);
        }
        return items;
      } catch (KubernetesClientException e) {
        if (!refusesTheFingerprintField(e)) {
          throw e;
        }
        if (fieldSelectorRefusedAt.getAndSet(clock.instant()) == null) {
          log.warn(
              "the API server refused the field selector {} on RemediationRequests ({}):"
                  + " incidents are looked up by label, other writers' incidents only in the"
                  + " cache; asking again every {}",
              FINGERPRINT_FIELD,
              e.getMessage(),
              FIELD_SELECTOR_RETRY);
        }
      }
    }
    return requests
        .inNamespace(namespace)
        .withLabel(
            RemediationRequestMapper.FINGERPRINT_LABEL,
            RemediationRequestMapper.fingerprintLabel(fingerprint))
        .list()
        .getItems();
  }

  /** The server's answer to a field selector on a field the CRD does not declare selectable. */
  static boolean refusesTheFingerprintField(KubernetesClientException e) {
    if (e.getCode() != 400 || e.getStatus() == null || e.getStatus().getMessage() == null) {
      return false;
    }
    String message = e.getStatus().getMessage();
    return message.contains("field label not supported") && message.contains(FINGERPRINT_FIELD);
  }

  @Override
  public IncidentState read(IncidentState incident, Instant deadline) {
    RemediationRequest rr = get(incident.name(), Deadline.at(deadline, clock));
    if (rr == null) {
      ownWrites.forget(incident);
      throw new IncidentGoneException(incident.ref() + " no longer exists");
    }
    IncidentState state = mapper.toState(rr);
    remember(state);
    return state;
  }

  private RemediationRequest get(String name, Deadline deadline) {
    return calls.run(
        "GET remediationrequest " + name,
        deadline,
        () -> requests.inNamespace(namespace).withName(name).get());
  }

  @Override
  public IncidentClaim readClaim(Fingerprint fingerprint, Instant deadline) {
    boolean incidentsKnown = find(fingerprint).stream().anyMatch(s -> s.sequence() > 0);
    return claims.current(fingerprint, incidentsKnown, Deadline.at(deadline, clock));
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
   */
  private static Counter claims(MeterRegistry meters, String outcome) {
    return Counter.builder("gateway.incident.claims")
        .description("Creates of a new incident's deterministic name, by who won the claim")
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public IncidentState create(Signal signal, int sequence, Instant deadline) {
    Deadline budget = Deadline.at(deadline, clock);
    RemediationRequest request = mapper.newRequest(signal, sequence, namespace, clock.instant());
    String name = request.getMetadata().getName();
    String creationId = RemediationRequestMapper.creationId(request);
    AmbiguousWriteException uncertainty = null;
    for (int attempt = 1; ; attempt++) {
      if (attempt > MAX_CREATE_ROUNDS) {
        throw new TransientBackendException(
            "CREATE remediationrequest " + name + " kept conflicting with a vanishing object");
      }
      try {
        RemediationRequest created =
            calls.write(
                "CREATE remediationrequest " + name,
                budget,
                () -> requests.resource(request).create());
        return acquired(created);
      } catch (AmbiguousWriteException e) {
        uncertainty = e;
      } catch (KubernetesClientException e) {
        if (!ApiFailures.isConflict(e)) {
          throw unavailableIfNotFound(e, "CREATE remediationrequest " + name);
        }
        claimsContended.increment();
      }
      RemediationRequest holder = get(name, budget.forReadBack());
      if (holder == null) {
        // not applied, or created and deleted at once: send it again
        if (uncertainty != null) {
          calls.pauseBeforeResend(
              "CREATE remediationrequest " + name, attempt, budget, uncertainty);
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
    claimsAcquired.increment();
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
        RemediationRequest updated =
            calls.write(
                what,
                budget,
                () ->
                    requests
                        .inNamespace(namespace)
                        .resource(IncidentIndex.stub(incident))
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
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
      RemediationRequest current = get(incident.name(), budget.forReadBack());
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

  /** 404 on a list or create: the CRD or the namespace is missing, which an operator fixes. */
  private static RuntimeException unavailableIfNotFound(KubernetesClientException e, String what) {
    if (ApiFailures.isNotFound(e)) {
      return new TransientBackendException(
          what
              + " failed: the RemediationRequest resource or its namespace does not exist"
              + " (is the CRD installed?)",
          e,
          ApiFailures.error(e));
    }
    return e;
  }

  /**
   * Keeps a state this process wrote or read through until the cache has caught up. The cache is
   * checked after recording it, so an informer event that raced ahead of this call still clears it.
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
    informer.close();
  }
}
