package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    parsedPayload(details.originalPayload()).ifPresent(p -> data.put("original_payload", p));
    data.put("signal_labels", details.labels());
    data.put("signal_annotations", details.annotations());
  }

  private Optional<Map<String, Object>> parsedPayload(String payload) {
    try {
      return Optional.ofNullable(
          json.readValue(payload, new TypeReference<Map<String, Object>>() {}));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
