package ai.kubernaut.gateway.adapter.kubeevent;

import ai.kubernaut.gateway.adapter.JsonPayload;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Rfc3339;
import ai.kubernaut.gateway.signal.SignalAdapter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Parses one Kubernetes Event. Only {@code Warning} and {@code Error} events become signals; the
 * event type is the severity and the reason is the signal name.
 */
public final class KubernetesEventAdapter implements SignalAdapter {

  public static final String SOURCE = "kubernetes-events";
  private static final Set<String> ACCEPTED_TYPES = Set.of("Warning", "Error");

  private final JsonPayload payload;

  public KubernetesEventAdapter(ObjectMapper json) {
    this.payload = new JsonPayload(json);
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public List<ParsedSignal> parse(byte[] body, Instant receivedAt) {
    EventMessage event = payload.read(body, EventMessage.class, "a Kubernetes Event");
    return List.of(toSignal(event, new String(body, StandardCharsets.UTF_8), receivedAt));
  }

  private static ParsedSignal toSignal(EventMessage event, String payload, Instant receivedAt) {
    if (isBlank(event.reason())) {
      return new ParsedSignal.Invalid("event reason is required");
    }
    EventMessage.ObjectReference subject = event.subject();
    if (subject == null || isBlank(subject.kind()) || isBlank(subject.name())) {
      return new ParsedSignal.Invalid(
          "event involvedObject (or regarding) needs a kind and a name");
    }
    if (event.type() == null || !ACCEPTED_TYPES.contains(event.type())) {
      return new ParsedSignal.Invalid(
          "event type must be Warning or Error; "
              + describeType(event.type())
              + " events are not processed");
    }
    Instant firingTime;
    try {
      firingTime = firstTime(event).orElse(receivedAt);
    } catch (DateTimeParseException e) {
      return new ParsedSignal.Invalid("event has an invalid timestamp: " + e.getParsedString());
    }
    ResourceRef target =
        new ResourceRef(subject.kind(), subject.name(), subject.namespace(), subject.apiVersion());
    return new ParsedSignal.Accepted(
        new InboundSignal(
            SOURCE,
            event.reason(),
            event.type(),
            "",
            List.of(target),
            Map.of(),
            Map.of(),
            firingTime,
            receivedAt,
            payload));
  }

  private static java.util.Optional<Instant> firstTime(EventMessage event) {
    return Stream.of(event.firstTimestamp(), event.eventTime(), event.deprecatedFirstTimestamp())
        .filter(t -> !isBlank(t))
        .findFirst()
        .map(t -> Rfc3339.parse(t));
  }

  private static String describeType(String type) {
    return isBlank(type) ? "untyped" : "\"" + type + "\"";
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
