package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.CompletionStatus;
import ai.kubernaut.gateway.kube.crd.DeduplicationStatus;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.RemediationRequestSpec;
import ai.kubernaut.gateway.kube.crd.RemediationRequestStatus;
import ai.kubernaut.gateway.kube.crd.RoutingStatus;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.util.Map;

/**
 * Reads one event of a RemediationRequest watch (a line of the server's answer) and keeps only what
 * deduplication reads: the object's identity, version, creation time and sequence label, its
 * fingerprint, and the status fields that end or suppress an incident. Everything else, the
 * original payload and {@code managedFields} above all, is skipped token by token without being
 * bound. An {@code ERROR} event carries a Status instead, whose code and message are kept.
 */
final class RemediationRequestEvents {

  private static final JsonFactory JSON = new JsonFactory();

  private RemediationRequestEvents() {}

  /**
   * One watch event. For {@code ADDED}, {@code MODIFIED} and {@code DELETED}, {@code object} holds
   * the fields deduplication reads; for {@code BOOKMARK} only its resource version; for {@code
   * ERROR}, {@code code} and {@code message} are the Status's.
   */
  record Event(String type, RemediationRequest object, int code, String message) {

    String resourceVersion() {
      return object.getMetadata().getResourceVersion();
    }
  }

  /**
   * Reads the event in {@code length} bytes of {@code bytes} from {@code offset}.
   *
   * @throws IOException when they are not one JSON object with a type and an object
   */
  static Event read(byte[] bytes, int offset, int length) throws IOException {
    try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "a watch event");
      String type = null;
      Parsed object = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("type") && value == JsonToken.VALUE_STRING) {
          type = parser.getText();
        } else if (field.equals("object") && value == JsonToken.START_OBJECT) {
          object = object(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new IOException("more than one JSON value in a watch event line");
      }
      if (type == null || object == null) {
        throw new IOException("a watch event without a type or an object");
      }
      return new Event(type, object.request, object.code, object.message);
    }
  }

  private static final class Parsed {
    final RemediationRequest request = new RemediationRequest();
    int code;
    String message;
  }

  private static Parsed object(JsonParser parser) throws IOException {
    Parsed parsed = new Parsed();
    ObjectMeta metadata = new ObjectMeta();
    parsed.request.setMetadata(metadata);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "metadata" -> {
          if (value == JsonToken.START_OBJECT) {
            metadata(parser, metadata);
          } else {
            parser.skipChildren();
          }
        }
        case "spec" -> {
          if (value == JsonToken.START_OBJECT) {
            parsed.request.setSpec(spec(parser));
          } else {
            parser.skipChildren();
          }
        }
        case "status" -> {
          // a RemediationRequest's status is an object; a Status's is the string "Failure"
          if (value == JsonToken.START_OBJECT) {
            parsed.request.setStatus(status(parser));
          } else {
            parser.skipChildren();
          }
        }
        case "code" -> {
          if (value == JsonToken.VALUE_NUMBER_INT) {
            parsed.code = parser.getValueAsInt();
          }
        }
        case "message" -> parsed.message = text(parser, value);
        default -> parser.skipChildren();
      }
    }
    return parsed;
  }

  private static void metadata(JsonParser parser, ObjectMeta metadata) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "name" -> metadata.setName(text(parser, value));
        case "namespace" -> metadata.setNamespace(text(parser, value));
        case "resourceVersion" -> metadata.setResourceVersion(text(parser, value));
        case "creationTimestamp" -> metadata.setCreationTimestamp(text(parser, value));
        case "labels" -> {
          if (value == JsonToken.START_OBJECT) {
            sequenceLabel(parser, metadata);
          } else {
            parser.skipChildren();
          }
        }
        default -> parser.skipChildren();
      }
    }
  }

  /** Keeps the one label the incident's sequence is read from. */
  private static void sequenceLabel(JsonParser parser, ObjectMeta metadata) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String label = parser.currentName();
      JsonToken value = parser.nextToken();
      if (label.equals(RemediationRequestMapper.SEQUENCE_LABEL)
          && value == JsonToken.VALUE_STRING) {
        metadata.setLabels(Map.of(label, parser.getText()));
      } else {
        parser.skipChildren();
      }
    }
  }

  private static RemediationRequestSpec spec(JsonParser parser) throws IOException {
    RemediationRequestSpec spec = new RemediationRequestSpec();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("signalFingerprint")) {
        spec.setSignalFingerprint(text(parser, value));
      } else {
        parser.skipChildren();
      }
    }
    return spec;
  }

  private static RemediationRequestStatus status(JsonParser parser) throws IOException {
    RemediationRequestStatus status = new RemediationRequestStatus();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value != JsonToken.START_OBJECT) {
        if (field.equals("overallPhase")) {
          status.setOverallPhase(text(parser, value));
        } else {
          parser.skipChildren();
        }
        continue;
      }
      switch (field) {
        case "completionStatus" -> {
          CompletionStatus completion = new CompletionStatus();
          completion.setOutcome(onlyText(parser, "outcome"));
          status.setCompletionStatus(completion);
        }
        case "routingStatus" -> {
          RoutingStatus routing = new RoutingStatus();
          routing.setNextAllowedExecution(onlyText(parser, "nextAllowedExecution"));
          status.setRoutingStatus(routing);
        }
        case "deduplication" -> status.setDeduplication(deduplication(parser));
        default -> parser.skipChildren();
      }
    }
    return status;
  }

  private static DeduplicationStatus deduplication(JsonParser parser) throws IOException {
    DeduplicationStatus dedup = new DeduplicationStatus();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "firstSeenAt" -> dedup.setFirstSeenAt(text(parser, value));
        case "lastSeenAt" -> dedup.setLastSeenAt(text(parser, value));
        case "occurrenceCount" -> {
          if (value == JsonToken.VALUE_NUMBER_INT) {
            long count = parser.getValueAsLong();
            dedup.setOccurrenceCount(Math.clamp(count, 0, Integer.MAX_VALUE));
          }
        }
        default -> parser.skipChildren();
      }
    }
    return dedup;
  }

  /** The string field {@code wanted} of the object the parser is in; the rest skipped. */
  private static String onlyText(JsonParser parser, String wanted) throws IOException {
    String found = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals(wanted)) {
        found = text(parser, value);
      } else {
        parser.skipChildren();
      }
    }
    return found;
  }

  /** The value as a string when it is one; anything else is skipped and read as absent. */
  private static String text(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    parser.skipChildren();
    return null;
  }

  private static void expect(JsonToken actual, JsonToken expected, String what) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + what + ", found " + actual);
    }
  }
}
