package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.signal.ApiError;
import ai.kubernaut.gateway.signal.DedupDecision;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.testing.AuditSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditEventFactoryTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00.123456Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAYLOAD =
      "{\"alerts\":[{\"labels\":{\"alertname\":\"KubePodCrashLooping\"}}]}";

  private final AuditEventFactory factory =
      new AuditEventFactory(JSON, Clock.fixed(NOW, ZoneOffset.UTC));
  private final RequestContext context =
      RequestContext.unauthenticated("req-1", "prometheus", NOW.plusSeconds(15));

  @Test
  void everyEventOfAFactoryHasItsOwnTimestampSoTypeCorrelationAndTimestampIdentifyIt() {
    List<JsonNode> events = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      events.addAll(json(factory.eventsFor(created(), context)));
    }

    assertThat(events.stream().map(e -> e.path("event_timestamp").asText()).distinct())
        .hasSize(2000);
    assertThat(events.getLast().path("event_timestamp").asText())
        .as("a fixed clock moves on by one microsecond per event")
        .isEqualTo("2026-11-21T12:00:00.125455Z");
  }

  @Test
  void newIncidentYieldsReceivedThenCreatedAsTheContractDescribes() {
    List<JsonNode> events = json(factory.eventsFor(created(), context));

    assertThat(events)
        .extracting(e -> e.path("event_type").asText())
        .containsExactly("gateway.signal.received", "gateway.crd.created");
    JsonNode received = events.get(0);
    assertThat(received.path("version").asText()).isEqualTo("1.0");
    assertThat(received.path("event_timestamp").asText()).isEqualTo("2026-11-21T12:00:00.123456Z");
    assertThat(events.get(1).path("event_timestamp").asText())
        .as("a second event at the same instant")
        .isEqualTo("2026-11-21T12:00:00.123457Z");
    assertThat(received.path("actor_type").asText()).isEqualTo("external");
    assertThat(received.path("actor_id").asText()).isEqualTo("prometheus");
    assertThat(received.path("resource_type").asText()).isEqualTo("Signal");
    assertThat(received.path("resource_id").asText()).isEqualTo(signal().fingerprint().value());
    assertThat(received.path("correlation_id").asText()).isEqualTo("rr-abc");
    assertThat(received.path("namespace").asText()).isEqualTo("demo");
    assertThat(received.has("cluster_id")).isFalse();
    JsonNode data = received.path("event_data");
    assertThat(data.path("severity").asText()).isEqualTo("warning");
    assertThat(data.path("remediation_request").asText()).isEqualTo("kubernaut-system/rr-abc");
    assertThat(data.path("deduplication_status").asText()).isEqualTo("new");
    assertThat(data.has("occurrence_count")).isFalse();
    assertThat(data.path("original_payload").path("alerts").isArray()).isTrue();
    assertThat(data.path("signal_annotations").isObject()).isTrue();

    JsonNode crd = events.get(1);
    assertThat(crd.path("actor_type").asText()).isEqualTo("gateway");
    assertThat(crd.path("actor_id").asText()).isEqualTo("crd-creator");
    assertThat(crd.path("resource_id").asText()).isEqualTo("kubernaut-system/rr-abc");
    assertThat(crd.path("event_data").path("occurrence_count").asInt()).isEqualTo(1);
  }

  @Test
  void authenticatedSenderIsTheActorOfSignalEvents() {
    RequestContext authenticated =
        new RequestContext(
            "req-2", "authenticated-service", "system:serviceaccount:monitoring:am", NOW);

    JsonNode received = json(factory.eventsFor(created(), authenticated)).getFirst();

    assertThat(received.path("actor_type").asText()).isEqualTo("authenticated-service");
    assertThat(received.path("actor_id").asText()).isEqualTo("system:serviceaccount:monitoring:am");
  }

  @Test
  void repeatYieldsDeduplicatedWithThePostUpdateCountAndNoSeverity() {
    Outcome duplicate =
        new Outcome.Duplicate(
            signal(), incident(), new OccurrenceCount(NOW, NOW, 7), DedupDecision.Reason.ACTIVE);

    JsonNode event = json(factory.eventsFor(duplicate, context)).getFirst();

    assertThat(event.path("event_type").asText()).isEqualTo("gateway.signal.deduplicated");
    assertThat(event.path("correlation_id").asText()).isEqualTo("rr-abc");
    assertThat(event.path("event_data").path("occurrence_count").asInt()).isEqualTo(7);
    assertThat(event.path("event_data").has("severity")).isFalse();
    assertThat(event.path("event_data").has("resource_kind")).isFalse();
  }

  @Test
  void aResolvedAlertIsReceivedWithTheActionResolvedAndNoDeduplicationStatus() {
    JsonNode event =
        json(factory.eventsFor(new Outcome.Resolved(signal(), Optional.of(incident())), context))
            .getFirst();

    assertThat(event.path("event_type").asText()).isEqualTo("gateway.signal.received");
    assertThat(event.path("event_action").asText()).isEqualTo("resolved");
    assertThat(event.path("event_outcome").asText()).isEqualTo("success");
    assertThat(event.path("resource_id").asText()).isEqualTo(signal().fingerprint().value());
    JsonNode data = event.path("event_data");
    assertThat(data.path("remediation_request").asText()).isEqualTo("kubernaut-system/rr-abc");
    assertThat(data.has("deduplication_status")).isFalse();
    assertThat(data.has("occurrence_count")).isFalse();
    assertThat(data.path("original_payload").path("alerts").isArray()).isTrue();
  }

  /**
   * DataStorage rebuilds a RemediationRequest from the received events correlated to its name, the
   * latest winning: a resolution correlated to the incident would replace the alert that opened it.
   */
  @Test
  void aResolvedAlertIsNeverCorrelatedToTheIncidentsName() {
    JsonNode onIncident =
        json(factory.eventsFor(new Outcome.Resolved(signal(), Optional.of(incident())), context))
            .getFirst();
    JsonNode withoutIncident =
        json(factory.eventsFor(new Outcome.Resolved(signal(), Optional.empty()), context))
            .getFirst();

    assertThat(onIncident.path("correlation_id").asText())
        .isEqualTo("resolved-" + signal().fingerprint().value())
        .isNotEqualTo(incident().name());
    assertThat(withoutIncident.path("correlation_id").asText())
        .isEqualTo(onIncident.path("correlation_id").asText());
    assertThat(withoutIncident.path("event_data").has("remediation_request")).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "404, NotFound, ERR_K8S_NOT_FOUND, false",
    "409, AlreadyExists, ERR_K8S_ALREADY_EXISTS, false",
    "409, Conflict, ERR_K8S_CONFLICT, true",
    "403, Forbidden, ERR_K8S_FORBIDDEN, false",
    "401, Unauthorized, ERR_K8S_UNAUTHORIZED, false",
    "422, Invalid, ERR_K8S_INVALID, false",
    "504, Timeout, ERR_K8S_TIMEOUT, true",
    "500, ServerTimeout, ERR_K8S_SERVER_TIMEOUT, true",
    "503, ServiceUnavailable, ERR_K8S_SERVICE_UNAVAILABLE, true",
    "500, InternalError, ERR_K8S_INTERNAL, true",
    // an answer without a reason Kubernetes defines is classified by its status code
    "503, Injected, ERR_K8S_SERVICE_UNAVAILABLE, true",
    "500, '', ERR_K8S_INTERNAL, true",
    "429, TooManyRequests, ERR_K8S_UNKNOWN, false",
    // no answer at all (connection refused or reset)
    "0, '', ERR_K8S_UNKNOWN, false",
    "0, CircuitBreakerOpen, ERR_CIRCUIT_BREAKER_OPEN, true"
  })
  void failedCreationCarriesTheCodeOfTheApiAnswer(
      int status, String reason, String code, boolean retryPossible) {
    Outcome failed =
        new Outcome.Failed(
            signal().details(),
            Optional.of(signal()),
            Outcome.FailureCause.BACKEND_UNAVAILABLE,
            "creating RemediationRequest failed: API server answered " + status,
            Optional.of(new ApiError(status, reason)));

    JsonNode event = json(factory.eventsFor(failed, context)).getFirst();

    JsonNode error = event.path("event_data").path("error_details");
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("retry_possible").asBoolean()).isEqualTo(retryPossible);
    assertThat(error.path("component").asText()).isEqualTo("gateway");
    assertThat(error.path("message").asText()).contains("answered " + status);
    assertThat(event.path("event_outcome").asText()).isEqualTo("failure");
    assertThat(event.path("resource_id").asText())
        .isEqualTo("KubePodCrashLooping:demo:Deployment:checkout");
    assertThat(event.path("correlation_id").asText()).isEqualTo(event.path("resource_id").asText());
  }

  @Test
  void failureWithoutAnApiAnswerIsUnknown() {
    Outcome failed =
        new Outcome.Failed(
            signal().details(),
            Optional.of(signal()),
            Outcome.FailureCause.BACKEND_UNAVAILABLE,
            "API server unreachable");

    JsonNode error =
        json(factory.eventsFor(failed, context))
            .getFirst()
            .path("event_data")
            .path("error_details");

    assertThat(error.path("code").asText()).isEqualTo("ERR_K8S_UNKNOWN");
    assertThat(error.path("retry_possible").asBoolean()).isFalse();
  }

  @Test
  void signalsThatNeverReachedATargetAreNotAudited() {
    Outcome timedOut =
        new Outcome.Failed(
            signal().details(),
            Optional.empty(),
            Outcome.FailureCause.DEADLINE_EXCEEDED,
            "request deadline exceeded");
    Outcome rejected = new Outcome.Rejected(signal(), Outcome.Rejected.UNMANAGED_RESOURCE);

    assertThat(factory.eventsFor(timedOut, context)).isEmpty();
    assertThat(factory.eventsFor(rejected, context)).isEmpty();
  }

  @Test
  void overlongCorrelationIdIsCutToWhatDataStorageAccepts() {
    String longName = "x".repeat(300);
    Signal signal =
        Signal.resolved(inbound(longName, ""), ResourceRef.of("Deployment", "demo", "checkout"));
    Outcome failed =
        new Outcome.Failed(
            signal.details(),
            Optional.of(signal),
            Outcome.FailureCause.BACKEND_UNAVAILABLE,
            "boom");

    JsonNode event = json(factory.eventsFor(failed, context)).getFirst();

    assertThat(event.path("correlation_id").asText()).hasSize(255);
    assertThat(event.path("resource_id").asText()).startsWith(longName);
  }

  @Test
  void clusterIdIsSentOnlyWhenKnown() {
    Signal signal =
        Signal.resolved(
            inbound("KubePodCrashLooping", "prod-eu"),
            ResourceRef.of("Deployment", "demo", "checkout"));
    Outcome created = new Outcome.Created(signal, incident(), OccurrenceCount.first(1, NOW));

    JsonNode event = json(factory.eventsFor(created, context)).getFirst();

    assertThat(event.path("cluster_id").asText()).isEqualTo("prod-eu");
  }

  @Test
  void configReloadEventsNameTheComponent() {
    JsonNode reloaded =
        json(List.of(factory.configReloaded("log_level", Optional.of("v2")))).getFirst();
    JsonNode rejected =
        json(List.of(factory.configRejected("ca_cert", "not a PEM bundle"))).getFirst();

    assertThat(reloaded.path("event_outcome").asText()).isEqualTo("success");
    assertThat(reloaded.path("resource_id").asText()).isEqualTo("log_level");
    assertThat(reloaded.path("correlation_id").asText())
        .isEqualTo(
            "config-reload-log_level-" + (NOW.getEpochSecond() * 1_000_000_000L + NOW.getNano()));
    assertThat(reloaded.path("event_data").path("config_version").asText()).isEqualTo("v2");
    assertThat(rejected.path("event_outcome").asText()).isEqualTo("failure");
    assertThat(rejected.path("event_data").path("rejection_reason").asText())
        .isEqualTo("not a PEM bundle");
    assertThat(rejected.has("namespace")).isFalse();
  }

  @Test
  void schemaRejectsEventsThatBreakTheContract() {
    ObjectNode event = (ObjectNode) json(factory.eventsFor(created(), context)).getFirst();
    ((ObjectNode) event.path("event_data")).remove("fingerprint");
    event.put("event_outcome", "failure");
    event.put("surprise", true);

    assertThat(AuditSchema.problems(event))
        .anySatisfy(p -> assertThat(p).contains("fingerprint"))
        .anySatisfy(p -> assertThat(p).contains("event_outcome"))
        .anySatisfy(p -> assertThat(p).contains("surprise"));
  }

  @Test
  void theOriginalPayloadIsWrittenAsItCameWhenCompactAndOnOneLineWhenNot() throws Exception {
    String compact = "{\"alerts\":[{\"labels\":{\"alertname\":\"A\"}, \"n\":1.50}]}";
    String pretty = "{\n  \"alerts\": [\n    {\"n\": 1}\n  ]\n}\n";

    String compactLine = JSON.writeValueAsString(receivedWith(compact));
    String prettyLine = JSON.writeValueAsString(receivedWith(pretty));

    assertThat(compactLine).contains("\"original_payload\":" + compact);
    assertThat(prettyLine)
        .doesNotContain("\n")
        .contains("\"original_payload\":{\"alerts\":[{\"n\":1}]}");
  }

  private AuditEvent receivedWith(String payload) {
    InboundSignal details = inbound("KubePodCrashLooping", "");
    InboundSignal withPayload =
        new InboundSignal(
            details.source(),
            details.name(),
            details.severity(),
            details.clusterId(),
            details.targetCandidates(),
            details.labels(),
            details.annotations(),
            details.firingTime(),
            details.receivedTime(),
            payload);
    Signal signal = Signal.resolved(withPayload, ResourceRef.of("Deployment", "demo", "checkout"));
    return factory
        .eventsFor(
            new Outcome.Created(
                signal,
                SampleEvents.incident("rr-abc", signal.fingerprint().value(), NOW),
                OccurrenceCount.first(1, NOW)),
            context)
        .getFirst();
  }

  /** Serialises the events as they are sent and checks each against the schema. */
  private static List<JsonNode> json(List<AuditEvent> events) {
    return events.stream().map(e -> AuditSchema.requireValid(sent(e))).toList();
  }

  private static JsonNode sent(AuditEvent event) {
    try {
      return JSON.readTree(JSON.writeValueAsBytes(event));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Outcome created() {
    return new Outcome.Created(signal(), incident(), OccurrenceCount.first(1, NOW));
  }

  private static Signal signal() {
    return Signal.resolved(
        inbound("KubePodCrashLooping", ""), ResourceRef.of("Deployment", "demo", "checkout"));
  }

  private static InboundSignal inbound(String name, String cluster) {
    return new InboundSignal(
        "prometheus",
        name,
        "warning",
        cluster,
        List.of(ResourceRef.of("Pod", "demo", "checkout-7d9f8b6c5-x2k4p")),
        Map.of("alertname", name),
        Map.of(),
        NOW,
        NOW,
        PAYLOAD);
  }

  private static IncidentState incident() {
    return SampleEvents.incident("rr-abc", signal().fingerprint().value(), NOW);
  }
}
