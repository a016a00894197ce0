package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.IncidentStore;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Signal;
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
import java.util.List;
import java.util.Objects;

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

  RemediationRequestStore(
      KubernetesClient client,
      String namespace,
      ApiCalls calls,
      RemediationRequestMapper mapper,
      Clock clock,
      MeterRegistry meters) {
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

  @Override
  public List<IncidentState> find(Fingerprint fingerprint) {
    return List.copyOf(
        ownWrites.overlay(fingerprint.value(), index.find(fingerprint.value())).values());
  }

  @Override
  public List<IncidentState> readThrough(Fingerprint fingerprint) {
    List<RemediationRequest> items =
        calls.run(
            "LIST remediationrequests by fingerprint",
            () ->
                requests
                    .inNamespace(namespace)
                    .withLabel(
                        RemediationRequestMapper.FINGERPRINT_LABEL,
                        RemediationRequestMapper.fingerprintLabel(fingerprint))
                    .list()
                    .getItems());
    List<IncidentState> states =
        items.stream()
            .map(mapper::toState)
            .filter(s -> s.fingerprint().equals(fingerprint.value()))
            .toList();
    states.forEach(this::remember);
    return states;
  }

  @Override
  public IncidentState read(IncidentState incident) {
    RemediationRequest rr =
        calls.run(
            "GET remediationrequest " + incident.name(),
            () -> requests.inNamespace(namespace).withName(incident.name()).get());
    if (rr == null) {
      ownWrites.forget(incident);
      throw new IncidentGoneException(incident.ref() + " no longer exists");
    }
    IncidentState state = mapper.toState(rr);
    remember(state);
    return state;
  }

  /**
   * A new incident is claimed by creating its deterministic name: a create that succeeds acquired
   * the claim, a 409 means another writer (another replica, or this one before a cache caught up)
   * claimed it first.
   */
  private static Counter claims(MeterRegistry meters, String outcome) {
    return Counter.builder("gateway.incident.claims")
        .description("Creates of a new incident's deterministic name, by who won the claim")
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public IncidentState create(Signal signal, int sequence) {
    RemediationRequest request = mapper.newRequest(signal, sequence, namespace, clock.instant());
    String name = request.getMetadata().getName();
    try {
      RemediationRequest created =
          calls.write(
              "CREATE remediationrequest " + name, () -> requests.resource(request).create());
      claimsAcquired.increment();
      IncidentState state = mapper.toState(created);
      remember(state);
      return state;
    } catch (KubernetesClientException e) {
      if (ApiFailures.isConflict(e)) {
        claimsContended.increment();
        throw new IncidentExistsException(namespace + "/" + name + " already exists");
      }
      throw e;
    }
  }

  @Override
  public IncidentState writeOccurrences(IncidentState incident, OccurrenceCount occurrences) {
    String patch = mapper.occurrencePatch(incident.resourceVersion(), occurrences);
    try {
      RemediationRequest updated =
          calls.write(
              "PATCH remediationrequest " + incident.name() + " status",
              () ->
                  requests
                      .inNamespace(namespace)
                      .resource(IncidentIndex.stub(incident))
                      .subresource("status")
                      .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
      IncidentState state = mapper.toState(updated);
      remember(state);
      return state;
    } catch (KubernetesClientException e) {
      if (ApiFailures.isConflict(e)) {
        throw new ConflictException(
            incident.ref() + " changed since version " + incident.resourceVersion());
      }
      if (ApiFailures.isNotFound(e)) {
        ownWrites.forget(incident);
        throw new IncidentGoneException(incident.ref() + " no longer exists");
      }
      throw e;
    }
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
