package ai.kubernaut.gateway.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Field selectors on a custom resource's {@code spec} fields, which a real API server evaluates for
 * the CRD's {@code selectableFields} and fabric8's mock does not: it answers such a list with no
 * items at all. A list with one requirement {@code spec.<field>=<value>} is answered here from the
 * unselected list, keeping the items whose field has that value.
 */
public final class SelectableFieldFilter {

  private SelectableFieldFilter() {}

  /** One requirement {@code spec.a.b=value}, as a path below the object and the value. */
  record Requirement(String[] path, String value) {}

  /**
   * The answer to {@code request} if it is a list selecting on one {@code spec} field, computed
   * from {@code delegate}'s answer to the same list without the selector; empty otherwise.
   */
  public static Optional<MockResponse> answer(
      RecordedRequest request, Function<RecordedRequest, MockResponse> delegate) {
    Optional<Requirement> requirement = requirement(request);
    if (requirement.isEmpty()) {
      return Optional.empty();
    }
    MockResponse all = delegate.apply(withoutFieldSelector(request));
    if (all.code() != 200 || all.getBody() == null) {
      return Optional.of(all);
    }
    JsonNode list = Serialization.unmarshal(all.getBody().readUtf8(), JsonNode.class);
    if (list instanceof ObjectNode object && list.path("items") instanceof ArrayNode items) {
      ArrayNode kept = object.putArray("items");
      for (JsonNode item : items) {
        JsonNode field = item;
        for (String name : requirement.get().path()) {
          field = field.path(name);
        }
        if (field.isValueNode() && field.asText().equals(requirement.get().value())) {
          kept.add(item);
        }
      }
    }
    return Optional.of(all.setBody(Serialization.asJson(list)));
  }

  static Optional<Requirement> requirement(RecordedRequest request) {
    if (request.method() != HttpMethod.GET) {
      return Optional.empty();
    }
    String target = request.getPath();
    int query = target.indexOf('?');
    if (query < 0) {
      return Optional.empty();
    }
    String selector = null;
    for (String parameter : target.substring(query + 1).split("&")) {
      if (parameter.startsWith("watch=")) {
        return Optional.empty();
      }
      if (parameter.startsWith("fieldSelector=")) {
        selector =
            URLDecoder.decode(
                parameter.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
      }
    }
    if (selector == null || selector.contains(",") || selector.contains("!=")) {
      return Optional.empty();
    }
    int equals = selector.indexOf('=');
    if (equals < 0) {
      return Optional.empty();
    }
    String field = selector.substring(0, equals);
    String value = selector.substring(selector.startsWith("==", equals) ? equals + 2 : equals + 1);
    if (!field.startsWith("spec.")) {
      return Optional.empty();
    }
    return Optional.of(new Requirement(field.split("\\."), value));
  }

  private static RecordedRequest withoutFieldSelector(RecordedRequest request) {
    String target = request.getPath();
    int query = target.indexOf('?');
    String kept =
        Arrays.stream(target.substring(query + 1).split("&"))
            .filter(parameter -> !parameter.isEmpty() && !parameter.startsWith("fieldSelector="))
            .collect(Collectors.joining("&"));
    String bare = target.substring(0, query);
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        kept.isEmpty() ? bare : bare + "?" + kept,
        request.getHeaders(),
        request.getBody());
  }
}
