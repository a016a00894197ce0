package ai.kubernaut.gateway.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers kubectl's Table requests ({@code Accept: application/json;as=Table;...}) for custom
 * resources with the printer columns of their CRD, as a real API server does, so that {@code
 * kubectl get rr} shows Phase, Outcome, Alert, ... and {@code -o wide} the priority-1 columns. The
 * mock server behind knows nothing of Tables; without this kubectl falls back to NAME and AGE.
 */
final class CustomResourceTables {

  static final String TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  private static final Pattern CUSTOM_RESOURCE_PATH =
      Pattern.compile("^/apis/([^/]+\\.[^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/]+)(?:/([^/]+))?$");
  private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/";

  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock;

  CustomResourceTables(Clock clock) {
    this.clock = clock;
  }

  /** Whether {@code request} asks for a Table (kubectl get without -o json/yaml). */
  static boolean wanted(RecordedRequest request) {
    String accept = request.getHeader("Accept");
    return request.method() == HttpMethod.GET
        && accept != null
        && accept.contains("as=Table")
        && !request.getPath().contains("watch=");
  }

  /**
   * The Table for {@code request}, when it names a custom resource whose CRD {@code store} holds;
   * empty to let the request through unchanged.
   */
  Optional<MockResponse> answer(
      RecordedRequest request, Function<RecordedRequest, MockResponse> store) {
    Matcher path = CUSTOM_RESOURCE_PATH.matcher(DiscoveryDispatcher.pathOnly(request.getPath()));
    if (!path.matches()) {
      return Optional.empty();
    }
    Optional<JsonNode> version =
        crdVersion(store, request, path.group(3) + "." + path.group(1), path.group(2));
    if (version.isEmpty()) {
      return Optional.empty();
    }
    MockResponse response = store.apply(request);
    if (response.code() != 200 || response.getBody() == null) {
      return Optional.of(response);
    }
    try {
      JsonNode body = json.readTree(response.getBody().getBytes());
      ObjectNode table = table(body, version.get().path("additionalPrinterColumns"), request);
      return Optional.of(
          new MockResponse()
              .setResponseCode(200)
              .setHeader("Content-Type", TABLE_CONTENT_TYPE)
              .setBody(json.writeValueAsString(table)));
    } catch (IOException e) {
      return Optional.of(response);
    }
  }

  private Optional<JsonNode> crdVersion(
      Function<RecordedRequest, MockResponse> store,
      RecordedRequest request,
      String crdName,
      String versionName) {
    MockResponse answer =
        store.apply(
            new RecordedRequest(
                request.getHttpVersion(),
                HttpMethod.GET,
                CRD_PATH + crdName,
                request.getHeaders(),
                null));
    if (answer.code() != 200 || answer.getBody() == null) {
      return Optional.empty();
    }
    try {
      for (JsonNode version :
          json.readTree(answer.getBody().getBytes()).path("spec").path("versions")) {
        if (version.path("name").asText().equals(versionName)) {
          return Optional.of(version);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private ObjectNode table(JsonNode body, JsonNode columns, RecordedRequest request) {
    ObjectNode table = json.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (body.has("items")) {
      JsonNode listMetadata = body.path("metadata");
      if (listMetadata.has("resourceVersion")) {
        metadata.set("resourceVersion", listMetadata.get("resourceVersion"));
      }
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    ObjectNode name = definitions.addObject();
    name.put("name", "Name");
    name.put("type", "string");
    name.put("format", "name");
    name.put("description", "Name of the object, unique within its namespace.");
    name.put("priority", 0);
    for (JsonNode column : columns) {
      ObjectNode definition = definitions.addObject();
      definition.put("name", column.path("name").asText());
      definition.put("type", column.path("type").asText("string"));
      definition.put("format", column.path("format").asText(""));
      definition.put("description", column.path("description").asText(""));
      definition.put("priority", column.path("priority").asInt(0));
    }
    ArrayNode rows = table.putArray("rows");
    String includeObject = queryParameter(request.getPath(), "includeObject").orElse("Metadata");
    Iterable<JsonNode> objects = body.has("items") ? body.path("items") : java.util.List.of(body);
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(object.at("/metadata/name").asText());
      for (JsonNode column : columns) {
        cells.add(cell(object, column));
      }
      switch (includeObject) {
        case "None" -> {}
        case "Object" -> row.set("object", object);
        default -> {
          ObjectNode partial = row.putObject("object");
          partial.put("kind", "PartialObjectMetadata");
          partial.put("apiVersion", "meta.k8s.io/v1");
          partial.set("metadata", object.path("metadata"));
        }
      }
    }
    return table;
  }

  private JsonNode cell(JsonNode object, JsonNode column) {
    JsonNode value = valueAt(object, column.path("jsonPath").asText());
    if (value.isMissingNode() || value.isNull()) {
      return json.nullNode();
    }
    String type = column.path("type").asText("string");
    if (type.equals("date")) {
      try {
        Duration age = Duration.between(Instant.parse(value.asText()), clock.instant());
        return json.getNodeFactory().textNode(humanDuration(age));
      } catch (DateTimeParseException e) {
        return json.getNodeFactory().textNode(value.asText());
      }
    }
    if ((type.equals("integer") || type.equals("number") || type.equals("boolean"))
        && value.isValueNode()) {
      return value;
    }
    return json.getNodeFactory().textNode(value.isValueNode() ? value.asText() : value.toString());
  }

  /** A simple JSONPath of dotted field names, as printer columns use (.status.overallPhase). */
  static JsonNode valueAt(JsonNode object, String jsonPath) {
    JsonNode node = object;
    for (String field : jsonPath.replaceFirst("^\\.", "").split("\\.")) {
      if (field.isEmpty()) {
        continue;
      }
      node = node.path(field);
    }
    return node;
  }

  /** Ages as kubectl prints them (apimachinery's HumanDuration): 45s, 3m20s, 5h, 2d3h, 400d. */
  static String humanDuration(Duration age) {
    long seconds = age.toSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + (seconds % 60) + "s";
    }
    if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + (minutes % 60) + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      return hours % 24 == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + (hours % 24) + "h";
    }
    if (hours < 24 * 365 * 2) {
      return (hours / 24) + "d";
    }
    long days = hours / 24;
    if (hours < 24 * 365 * 8) {
      return days % 365 == 0 ? (days / 365) + "y" : (days / 365) + "y" + (days % 365) + "d";
    }
    return (days / 365) + "y";
  }

  private static Optional<String> queryParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return Optional.empty();
    }
    for (String parameter : path.substring(query + 1).split("&")) {
      if (parameter.startsWith(name + "=")) {
        return Optional.of(parameter.substring(name.length() + 1));
      }
    }
    return Optional.empty();
  }
}
