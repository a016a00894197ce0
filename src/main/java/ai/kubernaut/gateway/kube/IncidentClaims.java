package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.signal.ClaimSightings;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.IncidentClaim;
import ai.kubernaut.gateway.signal.IncidentStore;
import ai.kubernaut.gateway.signal.TransientBackendException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Each fingerprint's claim on incident numbers, kept in the Lease the Go Gateway locks the same
 * fingerprint with ({@code gw-lock-<fp[0:16]>}): a Go Gateway running beside this one during a
 * migration waits while a claim is fresh, and this gateway waits while a Go Gateway holds the lock.
 * The highest number claimed is an annotation; this gateway never deletes the Lease, so the number
 * survives the deletion of every incident. A claim is a conditional write, so of two replicas
 * claiming the same number exactly one succeeds.
 *
 * <p>Each claim read or written carries how old it is at least on the API server's clock: the time
 * the server stamped on the Lease's last write (its {@code metadata.managedFields} times) against
 * the time on the server's latest answer ({@link ApiServerTime}).
 */
final class IncidentClaims {

  static final String SEQUENCE_ANNOTATION = "kubernaut.ai/incident-sequence";
  static final String FINGERPRINT_ANNOTATION = "kubernaut.ai/signal-fingerprint";
  static final String CLAIM_ANNOTATION = "kubernaut.ai/claim-id";
  static final String CLAIMANT_ANNOTATION = "kubernaut.ai/claimed-by";

  /**
   * The Go Gateway's lock duration, stamped on every claim so that a Go Gateway waits while it is
   * fresh; also how long a claimant may take to create its incident.
   */
  static final Duration OPENING_WINDOW = ClaimSightings.OPENING_WINDOW;

  /**
   * Fingerprints whose claim this replica remembers; beyond that, the least used are read again.
   */
  static final int REMEMBERED_CLAIMS = 10_000;

  private final KubernetesClient client;
  private final String namespace;
  private final String holder;
  private final ApiCalls calls;
  private final Clock clock;
  private final ApiServerTime serverTime;

  /** A claim as this replica knows it, with the API server's time of the write it shows. */
  private record Known(IncidentClaim claim, Optional<Instant> writtenAt) {}

  /**
   * What this replica last knew of each fingerprint's claim: the claim as it last wrote or read it,
   * or empty when one exists whose content it does not know. No entry: nothing known.
   */
  private final Cache<String, Optional<Known>> known =
      Caffeine.newBuilder().maximumSize(REMEMBERED_CLAIMS).build();

  IncidentClaims(
      KubernetesClient client,
      String namespace,
      String holder,
      ApiCalls calls,
      Clock clock,
      ApiServerTime serverTime) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.holder = Objects.requireNonNull(holder, "holder");
    this.calls = Objects.requireNonNull(calls, "calls");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.serverTime = Objects.requireNonNull(serverTime, "serverTime");
  }

  /** The Go Gateway's lock name for a fingerprint. */
  static String leaseName(Fingerprint fingerprint) {
    return "gw-lock-" + fingerprint.prefix(16);
  }

  /**
   * The claim as this replica last wrote or read it; read from the server when it is known to exist
   * but not what it holds, when an incident numbered above the remembered claim is known (another
   * replica has claimed since: taking the next claim on the remembered version would only fail), or
   * when {@code incidentsKnown} or {@code highestKnown} says one should exist (a numbered incident
   * exists only after its claim); else assumed absent, so that the first incident of a fingerprint
   * costs no read of its claim.
   *
   * @param incidentsKnown whether an incident this gateway opened for the fingerprint is known
   * @param highestKnown the highest incident number known to exist
   */
  IncidentClaim current(
      Fingerprint fingerprint, boolean incidentsKnown, int highestKnown, Deadline deadline) {
    Optional<Known> remembered = known.getIfPresent(fingerprint.value());
    if (remembered != null
        && remembered.isPresent()
        && remembered.get().claim().sequence() >= highestKnown) {
      return aged(remembered.get()).remembered();
    }
    if (remembered == null && !incidentsKnown && highestKnown == 0) {
      return IncidentClaim.assumedAbsent();
    }
    return read(fingerprint, deadline);
  }

  IncidentClaim read(Fingerprint fingerprint, Deadline deadline) {
    String name = leaseName(fingerprint);
    Lease lease =
        calls.run(
            "GET lease " + name,
            deadline,
            () -> client.leases().inNamespace(namespace).withName(name).get());
    if (lease == null) {
      known.invalidate(fingerprint.value());
      return IncidentClaim.none();
    }
    return remember(fingerprint, lease);
  }

  /**
   * Keeps a claim to build the next one on without reading it first. One held as a plain lock by
   * another writer is read again next time: it may be released any moment.
   */
  private IncidentClaim remember(Fingerprint fingerprint, Lease lease) {
    Known claim = new Known(claimOf(lease, fingerprint), writtenAt(lease));
    known.put(
        fingerprint.value(),
        claim.claim().lockedByOtherWriter() ? Optional.empty() : Optional.of(claim));
    return aged(claim);
  }

  /** The claim with how old it is now at least, on the API server's clock. */
  private IncidentClaim aged(Known claim) {
    Optional<Instant> serverNow = serverTime.atLeastNow();
    if (claim.writtenAt().isEmpty() || serverNow.isEmpty()) {
      return claim.claim();
    }
    return claim
        .claim()
        .agedOnServer(IncidentClaim.serverAge(claim.writtenAt().get(), serverNow.get()));
  }

  /**
   * When the API server applied the Lease's last write, on its clock: the latest of its {@code
   * managedFields} times. The server sets an entry's time whenever its manager changes a value it
   * owns, and every write of a claim or lock changes some (a claim's id, a holder, a renew time),
   * so the latest is the last write's. Empty when the server keeps no managed fields.
   */
  static Optional<Instant> writtenAt(Lease lease) {
    List<ManagedFieldsEntry> entries = lease.getMetadata().getManagedFields();
    if (entries == null) {
      return Optional.empty();
    }
    Optional<Instant> latest = Optional.empty();
    for (ManagedFieldsEntry entry : entries) {
      Instant at = managedTime(entry);
      if (at != null && (latest.isEmpty() || at.isAfter(latest.get()))) {
        latest = Optional.of(at);
      }
    }
    return latest;
  }

  private static Instant managedTime(ManagedFieldsEntry entry) {
    if (entry.getTime() == null) {
      return null;
    }
    try {
      return Instant.parse(entry.getTime());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The claim exists but what it holds is unknown: read it before the next claim. */
  private void mustRead(Fingerprint fingerprint) {
    known.put(fingerprint.value(), Optional.empty());
  }

  /**
   * Takes {@code sequence} if the claim is still as {@code seen}.
   *
   * @throws IncidentStore.ConflictException when another writer changed it first
   */
  IncidentClaim take(Fingerprint fingerprint, IncidentClaim seen, int sequence, Deadline deadline) {
    String claimId = UUID.randomUUID().toString();
    Lease lease = lease(fingerprint, seen, sequence, claimId);
    String what =
        (seen.version().isEmpty() ? "CREATE" : "UPDATE") + " lease " + leaseName(fingerprint);
    try {
      Lease written =
          calls.write(
              what,
              deadline,
              () ->
                  seen.version().isEmpty()
                      ? client.leases().inNamespace(namespace).resource(lease).create()
                      : client.leases().inNamespace(namespace).resource(lease).update());
      return remember(fingerprint, written);
    } catch (KubernetesClientException e) {
      if (ApiFailures.isNotFound(e) && seen.version().isEmpty()) {
        // a create answered 404: the namespace does not exist, and retrying will not make it
        throw new TransientBackendException(
            what + " failed: namespace " + namespace + " does not exist", e, ApiFailures.error(e));
      }
      if (ApiFailures.isConflict(e) || ApiFailures.isNotFound(e)) {
        // an update answered 404: the Lease was deleted since it was read (a Go Gateway's release)
        mustRead(fingerprint);
        throw new IncidentStore.ConflictException(what + ": the claim changed since it was read");
      }
      throw e;
    } catch (AmbiguousWriteException e) {
      return resolveAmbiguous(fingerprint, claimId, deadline, what);
    }
  }

  /** After a claim that may or may not have been applied, the Lease itself tells. */
  private IncidentClaim resolveAmbiguous(
      Fingerprint fingerprint, String claimId, Deadline deadline, String what) {
    String name = leaseName(fingerprint);
    Lease current =
        calls.run(
            "GET lease " + name + " after an uncertain write",
            deadline.forReadBack(),
            () -> client.leases().inNamespace(namespace).withName(name).get());
    if (current != null && claimId.equals(annotation(current, CLAIM_ANNOTATION))) {
      return remember(fingerprint, current);
    }
    mustRead(fingerprint);
    // Not applied (yet): treat it as lost to another writer and decide again. A late application
    // of this claim only moves the number past one nobody creates.
    throw new IncidentStore.ConflictException(what + " failed and was not applied");
  }

  private Lease lease(Fingerprint fingerprint, IncidentClaim seen, int sequence, String claimId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    ZonedDateTime at = ZonedDateTime.ofInstant(now, ZoneOffset.UTC);
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(holder);
    spec.setLeaseDurationSeconds((int) OPENING_WINDOW.toSeconds());
    spec.setAcquireTime(at);
    spec.setRenewTime(at);
    Lease lease = new Lease();
    lease.setMetadata(
        new ObjectMetaBuilder()
            .withName(leaseName(fingerprint))
            .withNamespace(namespace)
            .withResourceVersion(seen.version().orElse(null))
            .addToLabels("app.kubernetes.io/managed-by", "gateway-service")
            .addToAnnotations(FINGERPRINT_ANNOTATION, fingerprint.value())
            .addToAnnotations(SEQUENCE_ANNOTATION, Integer.toString(sequence))
            .addToAnnotations(CLAIM_ANNOTATION, claimId)
            .addToAnnotations(CLAIMANT_ANNOTATION, holder)
            .build());
    lease.setSpec(spec);
    return lease;
  }

  /**
   * Reads a Lease as a claim. A Lease whose holder is not the replica that recorded the number is
   * held as a plain lock by the Go Gateway; one of another fingerprint sharing the first 16
   * characters carries no number for this one.
   */
  private static IncidentClaim claimOf(Lease lease, Fingerprint fingerprint) {
    String version = lease.getMetadata().getResourceVersion();
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    String claimant = annotation(lease, CLAIMANT_ANNOTATION);
    boolean lockedByOtherWriter = claimant == null || !claimant.equals(holder);
    boolean sameFingerprint = fingerprint.value().equals(annotation(lease, FINGERPRINT_ANNOTATION));
    int number = 0;
    if (sameFingerprint) {
      try {
        number = Math.max(0, Integer.parseInt(annotation(lease, SEQUENCE_ANNOTATION)));
      } catch (NumberFormatException e) {
        number = 0;
      }
    }
    return new IncidentClaim(
        number,
        heldUntil(lease),
        lockedByOtherWriter,
        Optional.ofNullable(version),
        IncidentClaim.Source.READ);
  }

  private static Instant heldUntil(Lease lease) {
    LeaseSpec spec = lease.getSpec();
    if (spec == null || spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
      return Instant.EPOCH;
    }
    return spec.getRenewTime().toInstant().plusSeconds(spec.getLeaseDurationSeconds());
  }

  private static String annotation(Lease lease, String key) {
    Map<String, String> annotations = lease.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
