package ai.kubernaut.gateway.security;

import ai.kubernaut.gateway.config.GatewayConfig;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a request before its signals are parsed: the payload's shape stays within the configured
 * limits and its timestamps are fresh. A body that is not JSON passes, so the adapter reports the
 * syntax error.
 */
public final class PayloadInspector {

  /** Which kind of payload a route carries. */
  public enum Kind {
    ALERTMANAGER_WEBHOOK,
    KUBERNETES_EVENT
  }

  private final GatewayConfig.Limits limits;
  private final Optional<Freshness> freshness;
  private final ObjectMapper json;

  public PayloadInspector(GatewayConfig.Limits limits, GatewayConfig.Freshness freshness) {
    this.limits = limits;
    this.freshness = freshness.enabled() ? Optional.of(new Freshness(freshness)) : Optional.empty();
    this.json = mapper(limits);
  }

  /** A JSON mapper whose parser enforces the nesting-depth and string-length limits. */
  public static ObjectMapper mapper(GatewayConfig.Limits limits) {
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNameLength(limits.maxStringLength())
            .maxNumberLength(64)
            .build();
    return new JsonMapper(JsonFactory.builder().streamReadConstraints(constraints).build());
  }

  /**
   * Inspects one request.
   *
   * @param timestampHeader the {@code X-Timestamp} header, if sent
   */
  public Optional<Rejection> inspect(
      Kind kind, byte[] body, Optional<String> timestampHeader, Instant now) {
    if (kind == Kind.ALERTMANAGER_WEBHOOK && timestampHeader.isPresent()) {
      Optional<Rejection> stale = freshness.flatMap(f -> f.header(timestampHeader.get(), now));
      if (stale.isPresent()) {
        return stale;
      }
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (StreamConstraintsException e) {
      return Optional.of(constraint(e));
    } catch (JacksonException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    if (kind == Kind.ALERTMANAGER_WEBHOOK) {
      Optional<Rejection> tooBig = webhookShape(root);
      if (tooBig.isPresent()) {
        return tooBig;
      }
      return timestampHeader.isPresent()
          ? Optional.empty()
          : freshness.flatMap(f -> f.webhook(root, now));
    }
    return freshness.flatMap(f -> f.event(root, now));
  }

  private Optional<Rejection> webhookShape(JsonNode root) {
    JsonNode alerts = root.path("alerts");
    if (alerts.size() > limits.maxAlerts()) {
      return tooLarge(
          "Too many alerts: "
              + alerts.size()
              + " exceeds the limit of "
              + limits.maxAlerts()
              + " per webhook");
    }
    for (String map : new String[] {"groupLabels", "commonLabels", "commonAnnotations"}) {
      Optional<Rejection> r = labelMap(root.path(map), map);
      if (r.isPresent()) {
        return r;
      }
    }
    for (int i = 0; i < alerts.size(); i++) {
      for (String map : new String[] {"labels", "annotations"}) {
        Optional<Rejection> r = labelMap(alerts.path(i).path(map), "alerts[" + i + "]." + map);
        if (r.isPresent()) {
          return r;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Rejection> labelMap(JsonNode map, String where) {
    if (!map.isObject()) {
      return Optional.empty();
    }
    if (map.size() > limits.maxLabels()) {
      return tooLarge(
          "Too many entries in "
              + where
              + ": "
              + map.size()
              + " exceeds the limit of "
              + limits.maxLabels());
    }
    for (Map.Entry<String, JsonNode> entry : map.properties()) {
      if (entry.getKey().length() > limits.maxLabelKeyLength()) {
        return tooLarge(
            "A key in "
                + where
                + " exceeds the limit of "
                + limits.maxLabelKeyLength()
                + " characters");
      }
      if (entry.getValue().asText("").length() > limits.maxLabelValueLength()) {
        return tooLarge(
            "A value in "
                + where
                + " exceeds the limit of "
                + limits.maxLabelValueLength()
                + " characters");
      }
    }
    return Optional.empty();
  }

  private Rejection constraint(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (message.contains("nesting depth")) {
      return new Rejection(
          400,
          "nesting_depth",
          "JSON nesting exceeds the limit of " + limits.maxDepth() + " levels");
    }
    if (message.contains("Number value length")) {
      return new Rejection(400, "number_length", "JSON number exceeds the limit of 64 digits");
    }
    return new Rejection(
        413,
        "string_length",
        "JSON string exceeds the limit of " + limits.maxStringLength() + " characters");
  }

  private static Optional<Rejection> tooLarge(String detail) {
    return Optional.of(new Rejection(413, "payload_limit", detail));
  }
}
