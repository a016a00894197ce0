package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The {@code event_data} fields the Go Gateway's signal events share, filled in from a signal. */
final class SignalEventData {

  private final ObjectMapper json;

  SignalEventData(ObjectMapper json) {
    this.json = json;
  }

  /** The fields every signal event has: its type, the signal's name, namespace and fingerprint. */
  static Map<String, Object> common(String type, Signal signal) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("event_type", type);
    data.put("signal_type", InboundSignal.SIGNAL_TYPE);
    data.put("signal_name", signal.name());
    data.put("namespace", signal.namespace());
    data.put("fingerprint", signal.fingerprint().value());
    return data;
  }

  static void putSeverity(Map<String, Object> data, Signal signal) {
    if (!signal.details().severity().isEmpty()) {
      data.put("severity", signal.details().severity());
    }
  }

  static void putResource(Map<String, Object> data, Signal signal) {
    data.put("resource_kind", signal.target().kind());
    data.put("resource_name", signal.target().name());
  }

  /** The original payload (left out unless it is a JSON object), the labels and annotations. */
  void putPayloadAndMaps(Map<String, Object> data, InboundSignal details) {
    asJsonObject(details.originalPayload()).ifPresent(p -> data.put("original_payload", p));
    data.put("signal_labels", details.labels());
    data.put("signal_annotations", details.annotations());
  }

  /**
   * The payload as a JSON object. A signal's body was read by the intake as exactly one JSON object
   * (trailing content refused), so a compact one, as Alertmanager sends, is written into the event
   * as it came, without being parsed again; one with line breaks is parsed and written compact,
   * since an audit event is one line.
   */
  private Optional<Object> asJsonObject(String payload) {
    String body = payload.strip();
    if (!body.startsWith("{") || !body.endsWith("}")) {
      return Optional.empty();
    }
    if (body.indexOf('\n') < 0 && body.indexOf('\r') < 0) {
      return Optional.of(new RawValue(body));
    }
    try {
      return Optional.of(json.readValue(body, new TypeReference<Map<String, Object>>() {}));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
