package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.TransientBackendException;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests this gateway sends about the RemediationRequests of its controller namespace, each
 * within a deadline and through {@link ApiCalls}' retries: what is sent and how a lookup by
 * fingerprint falls back when the server cannot select by field. What the answers mean for an
 * incident is {@link RemediationRequestStore}'s business.
 */
final class RemediationRequestApi {

  private static final Logger log = LoggerFactory.getLogger(RemediationRequestApi.class);

  /**
   * How long lookups go by label after the server refused the field selector, before asking again.
   */
  static final Duration FIELD_SELECTOR_RETRY = Duration.ofMinutes(5);

  /** The CRD's selectable field that holds an incident's fingerprint. */
  static final String FINGERPRINT_FIELD = "spec.signalFingerprint";

  private final MixedOperation<
          RemediationRequest,
          KubernetesResourceList<RemediationRequest>,
          Resource<RemediationRequest>>
      requests;
  private final String namespace;
  private final ApiCalls calls;
  private final Clock clock;

  /** When the server last refused the fingerprint field selector; null while it accepts it. */
  private final AtomicReference<Instant> fieldSelectorRefusedAt = new AtomicReference<>();

  RemediationRequestApi(KubernetesClient client, String namespace, ApiCalls calls, Clock clock) {
    this.requests = client.resources(RemediationRequest.class);
    this.namespace = namespace;
    this.calls = calls;
    this.clock = clock;
  }

  /** The namespace's RemediationRequests of {@code fingerprint}, read from the server. */
  List<RemediationRequest> listByFingerprint(Fingerprint fingerprint, Deadline deadline) {
    return calls.run(
        "LIST remediationrequests by fingerprint",
        deadline,
        () -> {
          try {
            return list(fingerprint);
          } catch (KubernetesClientException e) {
            throw unavailableIfNotFound(e, "LIST remediationrequests");
          }
        });
  }

  /** The object of that name, or null when there is none. */
  RemediationRequest get(String name, Deadline deadline) {
    return calls.run(
        "GET remediationrequest " + name,
        deadline,
        () -> requests.inNamespace(namespace).withName(name).get());
  }

  /**
   * Sends the create once (no blind resend).
   *
   * @throws AmbiguousWriteException when the server may have applied it
   */
  RemediationRequest create(RemediationRequest request, Deadline deadline) {
    return calls.write(
        "CREATE remediationrequest " + request.getMetadata().getName(),
        deadline,
        () -> requests.resource(request).create());
  }

  /**
   * Sends a JSON merge patch of the incident's status subresource.
   *
   * @throws AmbiguousWriteException when the server may have applied it
   */
  RemediationRequest patchStatus(IncidentState incident, String patch, Deadline deadline) {
    return calls.write(
        "PATCH remediationrequest " + incident.name() + " status",
        deadline,
        () ->
            requests
                .inNamespace(namespace)
                .resource(IncidentIndex.stub(incident))
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
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
  private List<RemediationRequest> list(Fingerprint fingerprint) {
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

  /** 404 on a list or create: the CRD or the namespace is missing, which an operator fixes. */
  static RuntimeException unavailableIfNotFound(KubernetesClientException e, String what) {
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
}
