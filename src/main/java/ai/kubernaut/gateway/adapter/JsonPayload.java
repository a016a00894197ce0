package ai.kubernaut.gateway.adapter;

import ai.kubernaut.gateway.signal.InvalidPayloadException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads a request body as one JSON object of a given shape. Syntax errors and shape errors get
 * different details, and a shape error names the offending field, e.g. {@code alerts[0].labels}.
 */
public final class JsonPayload {

  private final ObjectMapper json;

  public JsonPayload(ObjectMapper json) {
    this.json = json.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  /**
   * Parses {@code body} into {@code type}.
   *
   * @param what what the body should be, for error details, e.g. "an Alertmanager webhook"
   * @throws InvalidPayloadException when the body is not such an object
   */
  public <T> T read(byte[] body, Class<T> type, String what) {
    try {
      JsonNode tree = json.readTree(body);
      if (tree == null || !tree.isObject()) {
        throw new InvalidPayloadException("body must be " + what + " JSON object");
      }
      return json.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      throw new InvalidPayloadException(
          "invalid " + what + " at " + path(e) + ": " + e.getOriginalMessage());
    } catch (JacksonException e) {
      throw new InvalidPayloadException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidPayloadException("unreadable body: " + e.getMessage());
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(
            ref ->
                ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }
}
