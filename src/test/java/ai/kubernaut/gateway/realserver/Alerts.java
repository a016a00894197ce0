package ai.kubernaut.gateway.realserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;

/** Alertmanager webhook bodies about objects in test-owned namespaces. */
final class Alerts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Alerts() {}

  /** One firing alert {@code name} with {@code labels}, as Alertmanager sends it. */
  static String webhook(String name, Map<String, String> labels) {
    return webhook(alert(name, labels));
  }

  /**
   * One firing alert in a notification whose common labels (external labels) are {@code common}.
   */
  static String webhook(Map<String, String> common, String name, Map<String, String> labels) {
    ObjectNode body = (ObjectNode) parse(webhook(alert(name, labels)));
    ObjectNode commonLabels = body.putObject("commonLabels");
    common.forEach(commonLabels::put);
    return body.toString();
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String webhook(ObjectNode... alerts) {
    ObjectNode body = JSON.createObjectNode();
    body.put("receiver", "kubernaut").put("status", "firing").put("version", "4");
    ArrayNode list = body.putArray("alerts");
    for (ObjectNode alert : alerts) {
      list.add(alert);
    }
    return body.toString();
  }

  /** {@code firing} as Alertmanager sends it once the condition ended. */
  static ObjectNode resolved(ObjectNode firing) {
    ObjectNode alert = firing.deepCopy();
    alert.put("status", "resolved");
    alert.put("endsAt", "2026-11-21T12:14:03Z");
    return alert;
  }

  /**
   * A firing alert; its summary is unique, so two calls never make a byte-identical redelivery
   * (which the gateway answers from memory without counting).
   */
  static ObjectNode alert(String name, Map<String, String> labels) {
    ObjectNode alert = JSON.createObjectNode();
    alert.put("status", "firing");
    ObjectNode labelNode = alert.putObject("labels");
    labelNode.put("alertname", name);
    labelNode.put("severity", "critical");
    labels.forEach(labelNode::put);
    alert.putObject("annotations").put("summary", "test " + UUID.randomUUID());
    alert.put("startsAt", "2026-11-21T11:58:03Z");
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    return alert;
  }
}
