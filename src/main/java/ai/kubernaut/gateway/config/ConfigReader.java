package ai.kubernaut.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads typed values from a YAML tree by dotted key, falling back to defaults, and collects every
 * problem instead of stopping at the first so the operator sees them all at once.
 */
final class ConfigReader {

  private final JsonNode root;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> known = new HashSet<>();

  ConfigReader(JsonNode root) {
    this.root = root == null ? MissingNode.getInstance() : root;
  }

  String string(String key, String fallback) {
    JsonNode node = node(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isValueNode()) {
      problem(key, node, "a string");
      return fallback;
    }
    return node.asText();
  }

  String oneOf(String key, String fallback, List<String> allowed) {
    String value = string(key, fallback);
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return candidate;
      }
    }
    problems.add(describe(key, value, "one of " + String.join(", ", allowed)));
    return fallback;
  }

  int integer(String key, int fallback, int min, int max) {
    JsonNode node = node(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      problem(key, node, "an integer from " + min + " to " + max);
      return fallback;
    }
    int value = node.asInt();
    if (value < min || value > max) {
      problem(key, node, "an integer from " + min + " to " + max);
      return fallback;
    }
    return value;
  }

  long longInteger(String key, long fallback, long min, long max) {
    JsonNode node = node(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      problem(key, node, "an integer from " + min + " to " + max);
      return fallback;
    }
    long value = node.asLong();
    if (value < min || value > max) {
      problem(key, node, "an integer from " + min + " to " + max);
      return fallback;
    }
    return value;
  }

  boolean bool(String key, boolean fallback) {
    JsonNode node = node(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      problem(key, node, "true or false");
      return fallback;
    }
    return node.asBoolean();
  }

  /** A list of strings, written as a YAML list or one comma-separated string. */
  List<String> strings(String key, List<String> fallback) {
    JsonNode node = node(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    List<String> values = new ArrayList<>();
    if (node.isTextual()) {
      values.addAll(List.of(node.asText().split(",")));
    } else if (node.isArray()) {
      node.forEach(item -> values.add(item.asText()));
    } else {
      problem(key, node, "a list of strings");
      return fallback;
    }
    return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  Duration duration(String key, Duration fallback, Predicate<Duration> valid, String allowed) {
    JsonNode node = node(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    Duration value = node.isTextual() ? GoDuration.parse(node.asText()) : null;
    if (value == null || !valid.test(value)) {
      problem(key, node, "a duration such as 30s, 5m or 100ms, " + allowed);
      return fallback;
    }
    return value;
  }

  ListenAddress address(String key, String fallback) {
    String text = string(key, fallback);
    ListenAddress address = ListenAddress.parse(text);
    if (address == null) {
      problems.add(describe(key, text, "an address such as :8080 or 127.0.0.1:8080"));
      return ListenAddress.parse(fallback);
    }
    return address;
  }

  /** Whether the file sets {@code key} (to anything but null); the key counts as known. */
  boolean isSet(String key) {
    JsonNode node = node(key);
    return !node.isMissingNode() && !node.isNull();
  }

  void require(boolean condition, String key, Object value, String allowed) {
    if (!condition) {
      problems.add(describe(key, String.valueOf(value), allowed));
    }
  }

  List<String> problems() {
    return problems;
  }

  /** Every key the file sets, as dotted paths to its leaves. */
  List<String> presentKeys() {
    List<String> present = new ArrayList<>();
    collectLeaves(root, "", present);
    return present;
  }

  /** Every key a setting has read so far. */
  Set<String> readKeys() {
    return Set.copyOf(known);
  }

  /** Keys present in the file that no setting reads; the Go Gateway ignores them too. */
  List<String> unknownKeys() {
    List<String> unknown = new ArrayList<>();
    collectLeaves(root, "", unknown);
    unknown.removeIf(key -> known.stream().anyMatch(k -> key.equals(k) || key.startsWith(k + ".")));
    return unknown;
  }

  private JsonNode node(String key) {
    known.add(key);
    JsonNode node = root;
    for (String part : key.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }

  private void problem(String key, JsonNode node, String allowed) {
    problems.add(describe(key, node.isValueNode() ? node.asText() : node.toString(), allowed));
  }

  private static String describe(String key, String value, String allowed) {
    return "invalid config " + key + "=\"" + value + "\": must be " + allowed;
  }

  private static void collectLeaves(JsonNode node, String prefix, List<String> out) {
    if (!node.isObject()) {
      if (!prefix.isEmpty()) {
        out.add(prefix);
      }
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      collectLeaves(
          field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), out);
    }
  }

  /**
   * An http(s) URL, or empty to turn off what it points at; anything else is a problem described by
   * {@code allowed}.
   */
  String httpUrlOrEmpty(String key, String fallback, String allowed) {
    String url = string(key, fallback).trim();
    require(url.isEmpty() || isHttpUrl(url), key, url, allowed);
    return url;
  }

  /** Whether {@code text} is an absolute http or https URL with a host. */
  static boolean isHttpUrl(String text) {
    try {
      java.net.URI uri = new java.net.URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
