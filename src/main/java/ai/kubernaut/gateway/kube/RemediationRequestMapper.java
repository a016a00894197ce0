package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.RemediationRequestSpec;
import ai.kubernaut.gateway.kube.crd.RemediationRequestStatus;
import ai.kubernaut.gateway.kube.crd.TargetResource;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Rfc3339;
import ai.kubernaut.gateway.signal.Sha256;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Builds RemediationRequests from signals and reads them back as incident states. */
final class RemediationRequestMapper {

  static final String FINGERPRINT_LABEL = "kubernaut.ai/signal-fingerprint";
  static final String SEQUENCE_LABEL = "kubernaut.ai/incident-sequence";
  static final String CREATION_ANNOTATION = "kubernaut.ai/creation-id";
  static final int FINGERPRINT_LABEL_LENGTH = 40;
  static final int MAX_LABEL_VALUE_BYTES = 63;
  static final int MAX_ANNOTATION_VALUE_BYTES = 262_000;

  private final ObjectMapper json;

  RemediationRequestMapper(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Incident number {@code sequence} of the signal's fingerprint, named {@code rr-<fp[0:12]>-<8
   * hex>} like the Go Gateway's, except that the 8 hex characters are derived from the fingerprint
   * and the sequence instead of drawn at random.
   */
  RemediationRequest newRequest(Signal signal, int sequence, String namespace, Instant now) {
    InboundSignal details = signal.details();
    RemediationRequest rr = new RemediationRequest();
    rr.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(signal.fingerprint(), sequence))
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/managed-by", "gateway-service")
            .addToLabels("app.kubernetes.io/component", "remediation")
            .addToLabels(FINGERPRINT_LABEL, fingerprintLabel(signal.fingerprint()))
            .addToLabels(SEQUENCE_LABEL, Integer.toString(sequence))
            .addToAnnotations("kubernaut.ai/created-at", timestamp(now))
            .addToAnnotations(CREATION_ANNOTATION, UUID.randomUUID().toString())
            .build());
    RemediationRequestSpec spec = new RemediationRequestSpec();
    spec.setSignalFingerprint(signal.fingerprint().value());
    spec.setSignalName(details.name());
    spec.setSeverity(details.severity());
    spec.setSignalType(InboundSignal.SIGNAL_TYPE);
    spec.setSignalSource(details.source());
    spec.setTargetType("kubernetes");
    TargetResource target = new TargetResource();
    target.setKind(signal.target().kind());
    target.setName(signal.target().name());
    target.setNamespace(emptyToNull(signal.target().namespace()));
    target.setApiVersion(emptyToNull(signal.target().apiVersion()));
    spec.setTargetResource(target);
    spec.setClusterID(emptyToNull(details.clusterId()));
    spec.setFiringTime(timestamp(details.firingTime()));
    spec.setReceivedTime(timestamp(details.receivedTime()));
    spec.setSignalLabels(truncatedValues(details.labels(), MAX_LABEL_VALUE_BYTES));
    spec.setSignalAnnotations(truncatedValues(details.annotations(), MAX_ANNOTATION_VALUE_BYTES));
    spec.setProviderData(providerData(signal));
    spec.setOriginalPayload(details.originalPayload());
    rr.setSpec(spec);
    return rr;
  }

  IncidentState toState(RemediationRequest rr) {
    RemediationRequestStatus status = rr.getStatus();
    String phase = null;
    String outcome = null;
    Optional<Instant> nextAllowed = Optional.empty();
    Optional<OccurrenceCount> occurrences = Optional.empty();
    if (status != null) {
      phase = status.getOverallPhase();
      if (status.getCompletionStatus() != null) {
        outcome = status.getCompletionStatus().getOutcome();
      }
      if (status.getRoutingStatus() != null) {
        nextAllowed = parseTime(status.getRoutingStatus().getNextAllowedExecution());
      }
      var dedup = status.getDeduplication();
      if (dedup != null && dedup.getOccurrenceCount() != null) {
        Instant first = parseTime(dedup.getFirstSeenAt()).orElse(created(rr));
        occurrences =
            Optional.of(
                new OccurrenceCount(
                    first,
                    parseTime(dedup.getLastSeenAt()).orElse(first),
                    Math.max(0, dedup.getOccurrenceCount())));
      }
    }
    return new IncidentState(
        rr.getMetadata().getName(),
        rr.getMetadata().getNamespace(),
        rr.getMetadata().getResourceVersion(),
        rr.getSpec() == null || rr.getSpec().getSignalFingerprint() == null
            ? ""
            : rr.getSpec().getSignalFingerprint(),
        sequence(rr),
        created(rr),
        phase,
        outcome,
        nextAllowed,
        occurrences);
  }

  /**
   * The JSON merge patch that sets the occurrence record, conditional on {@code resourceVersion}.
   */
  String occurrencePatch(String resourceVersion, OccurrenceCount occurrences) {
    Map<String, Object> dedup = new LinkedHashMap<>();
    dedup.put("firstSeenAt", timestamp(occurrences.firstSeenAt()));
    // to the microsecond: the stamp by which an uncertain write is recognised when read back
    dedup.put("lastSeenAt", occurrences.lastSeenAt().truncatedTo(ChronoUnit.MICROS).toString());
    dedup.put("occurrenceCount", occurrences.count());
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("resourceVersion", resourceVersion),
            "status", Map.of("deduplication", dedup));
    return write(patch);
  }

  /** The id this gateway gave the object when it created it; null for other writers' objects. */
  static String creationId(RemediationRequest rr) {
    Map<String, String> annotations = rr.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(CREATION_ANNOTATION);
  }

  static String name(Fingerprint fingerprint, int sequence) {
    byte[] digest = Sha256.of(fingerprint.value() + "#" + sequence);
    return "rr-" + fingerprint.prefix(12) + "-" + HexFormat.of().formatHex(digest, 0, 4);
  }

  private static int sequence(RemediationRequest rr) {
    Map<String, String> labels = rr.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(SEQUENCE_LABEL);
    try {
      return value == null ? 0 : Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String fingerprintLabel(Fingerprint fingerprint) {
    return fingerprint.prefix(FINGERPRINT_LABEL_LENGTH);
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private String providerData(Signal signal) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("namespace", signal.namespace());
    data.put("labels", signal.details().labels());
    if (!signal.details().origin().isEmpty()) {
      // consumers read providerData as an open JSON object; spec.signalSource stays the route's
      data.put("origin", signal.details().origin());
    }
    return write(data);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialise", e);
    }
  }

  /** Truncates each value to at most {@code maxBytes} UTF-8 bytes without splitting a character. */
  static Map<String, String> truncatedValues(Map<String, String> values, int maxBytes) {
    Map<String, String> result = new LinkedHashMap<>();
    values.forEach((k, v) -> result.put(k, truncate(v, maxBytes)));
    return result;
  }

  static String truncate(String value, int maxBytes) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return value;
    }
    int end = maxBytes;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static Instant created(RemediationRequest rr) {
    return parseTime(rr.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);
  }

  private static Optional<Instant> parseTime(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Rfc3339.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
