package ai.kubernaut.gateway.kube.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD against kubernaut's own (at the commit our contract follows, kept as a
 * fixture): the kubernaut installation owns the CRD, so ours must validate exactly as theirs does.
 * Every schema keyword counts (type, format, enum values and their order, bounds, patterns,
 * list/map types, validation rules, required lists, defaults), as do the names and the printer
 * columns with their order; only the description texts may differ.
 */
class UpstreamCrdTest {

  static final String UPSTREAM = "/upstream/kubernaut.ai_remediationrequests.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> STRUCTURE =
      Set.of("properties", "items", "additionalProperties");
  private static final Set<String> UNORDERED = Set.of("required");

  @Test
  void committedCrdValidatesAsKubernautsDoes() throws IOException {
    List<String> differences = compare(upstream(), committed());

    assertThat(differences).as("differences from kubernaut's CRD").isEmpty();
  }

  @Test
  void theComparisonSeesADifferenceInAnyKeyword() throws IOException {
    JsonNode changed = committed();
    JsonNode reason =
        changed.at(
            "/spec/versions/0/schema/openAPIV3Schema/properties/status/properties/conditions"
                + "/items/properties/reason");
    ((com.fasterxml.jackson.databind.node.ObjectNode) reason).put("maxLength", 1023);
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            changed.at("/spec/versions/0/additionalPrinterColumns/0"))
        .put("name", "State");

    assertThat(compare(upstream(), changed))
        .containsExactlyInAnyOrder(
            "printer column 0: name is \"Phase\" upstream, \"State\" here",
            ".status.conditions[].reason: maxLength is 1024 upstream, 1023 here");
  }

  static List<String> compare(JsonNode upstream, JsonNode ours) {
    List<String> differences = new ArrayList<>();
    JsonNode upSpec = upstream.path("spec");
    JsonNode ourSpec = ours.path("spec");
    same(differences, "metadata.name", upstream.at("/metadata/name"), ours.at("/metadata/name"));
    for (String key : List.of("group", "scope")) {
      same(differences, "spec." + key, upSpec.path(key), ourSpec.path(key));
    }
    for (String key : union(upSpec.path("names"), ourSpec.path("names"))) {
      same(
          differences,
          "names." + key,
          upSpec.path("names").path(key),
          ourSpec.path("names").path(key));
    }
    same(
        differences,
        "number of versions",
        count(upSpec.path("versions")),
        count(ourSpec.path("versions")));
    JsonNode upVersion = upSpec.path("versions").path(0);
    JsonNode ourVersion = ourSpec.path("versions").path(0);
    for (String key : List.of("name", "served", "storage", "subresources")) {
      same(differences, "version " + key, upVersion.path(key), ourVersion.path(key));
    }
    same(
        differences,
        "selectable fields",
        asSet(upVersion.path("selectableFields")),
        asSet(ourVersion.path("selectableFields")));
    columns(
        differences,
        upVersion.path("additionalPrinterColumns"),
        ourVersion.path("additionalPrinterColumns"));
    schema(
        differences,
        "",
        upVersion.at("/schema/openAPIV3Schema"),
        ourVersion.at("/schema/openAPIV3Schema"));
    return differences;
  }

  private static void columns(List<String> differences, JsonNode up, JsonNode ours) {
    same(differences, "number of printer columns", count(up), count(ours));
    for (int i = 0; i < Math.min(up.size(), ours.size()); i++) {
      for (String key : union(up.path(i), ours.path(i))) {
        if (key.equals("description")) {
          continue;
        }
        JsonNode a = up.path(i).path(key);
        JsonNode b = ours.path(i).path(key);
        if (key.equals("priority")) {
          a = YAML.getNodeFactory().numberNode(a.asInt(0));
          b = YAML.getNodeFactory().numberNode(b.asInt(0));
        }
        same(differences, "printer column " + i + ": " + key, a, b);
      }
    }
  }

  private static void schema(List<String> differences, String path, JsonNode up, JsonNode ours) {
    up = withRepeatedEnumsFolded(up);
    ours = withRepeatedEnumsFolded(ours);
    String where = path.isEmpty() ? "(root)" : path;
    for (String key : union(up, ours)) {
      if (key.equals("description") || STRUCTURE.contains(key)) {
        continue;
      }
      JsonNode a = up.path(key);
      JsonNode b = ours.path(key);
      if (UNORDERED.contains(key)) {
        same(differences, where + ": " + key, asSet(a), asSet(b));
      } else {
        same(differences, where + ": " + key, a, b);
      }
    }
    JsonNode upProperties = up.path("properties");
    JsonNode ourProperties = ours.path("properties");
    for (String name : union(upProperties, ourProperties)) {
      if (!upProperties.has(name)) {
        differences.add(path + "." + name + ": not in kubernaut's CRD");
      } else if (!ourProperties.has(name)) {
        differences.add(path + "." + name + ": missing here");
      } else {
        schema(differences, path + "." + name, upProperties.path(name), ourProperties.path(name));
      }
    }
    if (up.has("items") || ours.has("items")) {
      schema(differences, path + "[]", up.path("items"), ours.path("items"));
    }
    JsonNode upAdditional = up.path("additionalProperties");
    JsonNode ourAdditional = ours.path("additionalProperties");
    if (upAdditional.isObject() && ourAdditional.isObject()) {
      schema(differences, path + "{}", upAdditional, ourAdditional);
    } else {
      same(differences, where + ": additionalProperties", upAdditional, ourAdditional);
    }
  }

  /**
   * controller-gen writes an enum declared on both a Go type and its field as {@code allOf} of two
   * identical {@code enum} lists; that validates exactly as the one {@code enum}.
   */
  static JsonNode withRepeatedEnumsFolded(JsonNode schema) {
    JsonNode allOf = schema.path("allOf");
    if (!allOf.isArray() || allOf.isEmpty() || schema.has("enum")) {
      return schema;
    }
    JsonNode first = allOf.get(0);
    for (JsonNode member : allOf) {
      if (member.size() != 1 || !member.has("enum") || !member.equals(first)) {
        return schema;
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode folded =
        ((com.fasterxml.jackson.databind.node.ObjectNode) schema).deepCopy();
    folded.remove("allOf");
    folded.set("enum", first.get("enum"));
    return folded;
  }

  private static void same(List<String> differences, String what, Object upstream, Object ours) {
    if (!equivalent(upstream, ours)) {
      differences.add(what + " is " + show(upstream) + " upstream, " + show(ours) + " here");
    }
  }

  private static boolean equivalent(Object a, Object b) {
    if (a instanceof JsonNode x && b instanceof JsonNode y) {
      if (x.isNumber() && y.isNumber()) {
        return new BigDecimal(x.asText()).compareTo(new BigDecimal(y.asText())) == 0;
      }
      if (x.isArray() && y.isArray()) {
        if (x.size() != y.size()) {
          return false;
        }
        for (int i = 0; i < x.size(); i++) {
          if (!equivalent(x.get(i), y.get(i))) {
            return false;
          }
        }
        return true;
      }
      if (x.isObject() && y.isObject()) {
        if (!union(x, y).equals(new TreeSet<>(names(x)))) {
          return false;
        }
        for (String key : names(x)) {
          if (!y.has(key) || !equivalent(x.get(key), y.get(key))) {
            return false;
          }
        }
        return true;
      }
      return x.equals(y);
    }
    return a.equals(b);
  }

  private static String show(Object value) {
    return value instanceof JsonNode node && node.isMissingNode()
        ? "absent"
        : String.valueOf(value);
  }

  private static Set<String> asSet(JsonNode list) {
    Set<String> set = new TreeSet<>();
    list.forEach(item -> set.add(item.toString()));
    return set;
  }

  private static int count(JsonNode list) {
    return list.size();
  }

  private static Set<String> union(JsonNode a, JsonNode b) {
    Set<String> keys = new TreeSet<>(names(a));
    keys.addAll(names(b));
    return keys;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new HashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  static JsonNode upstream() throws IOException {
    try (InputStream in = UpstreamCrdTest.class.getResourceAsStream(UPSTREAM)) {
      assertThat(in).as("fixture %s", UPSTREAM).isNotNull();
      return YAML.readTree(in);
    }
  }

  static JsonNode committed() throws IOException {
    JsonNode node =
        YAML.readTree(
            Path.of(System.getProperty("basedir", "."))
                .resolve(CrdManifestTest.COMMITTED)
                .toFile());
    return node == null ? MissingNode.getInstance() : node;
  }
}
