package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.config.GatewayConfig;
import java.util.Map;
import java.util.Optional;

/**
 * The configured bounds on a payload's shape, with the checks sources share. Nesting depth and
 * string and number lengths are enforced by the parser for every source; the rest a source applies
 * to the parts of its payload they fit.
 */
public record PayloadLimits(GatewayConfig.Limits config) {

  /** A label or annotation map: its number of entries, and the length of each key and value. */
  public Optional<Rejection> labels(Map<String, String> map, String where) {
    if (map == null) {
      return Optional.empty();
    }
    if (map.size() > config.maxLabels()) {
      return tooLarge(
          "Too many entries in "
              + where
              + ": "
              + map.size()
              + " exceeds the limit of "
              + config.maxLabels());
    }
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (entry.getKey().length() > config.maxLabelKeyLength()) {
        return tooLarge(
            "A key in "
                + where
                + " exceeds the limit of "
                + config.maxLabelKeyLength()
                + " characters");
      }
      String value = entry.getValue();
      if (value != null && value.length() > config.maxLabelValueLength()) {
        return tooLarge(
            "A value in "
                + where
                + " exceeds the limit of "
                + config.maxLabelValueLength()
                + " characters");
      }
    }
    return Optional.empty();
  }

  /** A payload over a configured bound: 413, naming the bound. */
  public static Optional<Rejection> tooLarge(String detail) {
    return Optional.of(new Rejection(413, "payload_limit", detail));
  }
}
