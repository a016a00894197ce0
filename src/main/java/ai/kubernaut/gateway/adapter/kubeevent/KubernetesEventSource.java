package ai.kubernaut.gateway.adapter.kubeevent;

import ai.kubernaut.gateway.intake.PayloadLimits;
import ai.kubernaut.gateway.intake.Rejection;
import ai.kubernaut.gateway.intake.ReplayWindow;
import ai.kubernaut.gateway.intake.SignalSource;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Kubernetes Event route: one Event per request. Only {@code Warning} and {@code Error} events
 * become signals; the event type is the severity and the reason is the signal name.
 */
public final class KubernetesEventSource implements SignalSource<EventMessage> {

  public static final String SOURCE = "kubernetes-events";
  public static final String PATH = "/api/v1/signals/kubernetes-event";
  private static final Set<String> ACCEPTED_TYPES = Set.of("Warning", "Error");

  @Override
  public String name() {
    return SOURCE;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public Class<EventMessage> payloadType() {
    return EventMessage.class;
  }

  @Override
  public String description() {
    return "a Kubernetes Event";
  }

  /** An Event has no label maps; the parser's depth and length limits bound it. */
  @Override
  public Optional<Rejection> exceedsLimits(EventMessage event, PayloadLimits limits) {
    return Optional.empty();
  }

  /** The Event's latest timestamp must be recent and not in the future. */
  @Override
  public Optional<Rejection> stale(EventMessage event, ReplayWindow window) {
    Optional<Instant> when =
        Stream.of(
                event.lastTimestamp(),
                event.deprecatedLastTimestamp(),
                event.series() == null ? null : event.series().lastObservedTime(),
                event.firstTimestamp(),
                event.eventTime(),
                event.deprecatedFirstTimestamp())
            .map(ReplayWindow::time)
            .flatMap(Optional::stream)
            .findFirst();
    if (when.isEmpty()) {
      return ReplayWindow.stale("event missing lastTimestamp and firstTimestamp");
    }
    if (window.tooOld(when.get())) {
      return ReplayWindow.stale("event timestamp too old: possible stale event");
    }
    if (window.inFuture(when.get())) {
      return ReplayWindow.stale("event timestamp in future: possible clock skew");
    }
    return Optional.empty();
  }

  @Override
  public List<ParsedSignal> signals(EventMessage event, byte[] body, Instant receivedAt) {
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

  private static Optional<Instant> firstTime(EventMessage event) {
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
