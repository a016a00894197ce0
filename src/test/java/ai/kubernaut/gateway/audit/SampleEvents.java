package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.DedupDecision;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/** Valid audit events told apart by their occurrence count, as the spool stores them. */
final class SampleEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private SampleEvents() {}

  /** The deduplicated event of the {@code n}-th repeat of one alert. */
  static byte[] event(int n) {
    AuditEvent event =
        new AuditEventFactory(JSON, Clock.systemUTC()).eventsFor(repeat(n), context()).getFirst();
    try {
      return JSON.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The request context the sample outcomes come with. */
  static RequestContext context() {
    return RequestContext.unauthenticated("r", "prometheus", NOW);
  }

  /** The {@code n}-th repeat of one alert, whose audit event carries {@code n} as its count. */
  static Outcome repeat(int n) {
    Signal signal =
        Signal.resolved(
            new InboundSignal(
                "prometheus",
                "KubePodCrashLooping",
                "critical",
                "",
                List.of(ResourceRef.of("Pod", "demo", "checkout-7d9f8b6c5-x2k4p")),
                Map.of(),
                Map.of(),
                NOW,
                NOW,
                "{}"),
            ResourceRef.of("Deployment", "demo", "checkout"));
    IncidentState incident = incident("rr-abc", signal.fingerprint().value(), NOW);
    return new Outcome.Duplicate(
        signal, incident, new OccurrenceCount(NOW, NOW, n), DedupDecision.Reason.ACTIVE);
  }

  /**
   * An active incident {@code kubernaut-system/name} counted once. The one place the audit tests
   * build an {@link IncidentState}, so a change to its shape is made here only.
   */
  static IncidentState incident(String name, String fingerprint, Instant createdAt) {
    return new IncidentState(
        name,
        "kubernaut-system",
        "1",
        fingerprint,
        1,
        createdAt,
        "",
        "",
        Optional.empty(),
        Optional.of(OccurrenceCount.first(1, createdAt)));
  }

  static List<byte[]> events(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(SampleEvents::event).toList();
  }

  /** The number {@link #event} was made with. */
  static int number(JsonNode event) {
    return event.path("event_data").path("occurrence_count").asInt();
  }

  static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
