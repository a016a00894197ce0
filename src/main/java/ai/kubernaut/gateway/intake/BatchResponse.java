package ai.kubernaut.gateway.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/** The response to a webhook carrying several alerts: one result per alert plus a summary. */
record BatchResponse(List<Item> results, Summary summary) {

  /** The result of one alert. */
  record Item(
      String status,
      String fingerprint,
      String message,
      @JsonInclude(Include.NON_EMPTY) String error,
      @JsonInclude(Include.NON_EMPTY) String remediationRequestName) {}

  /** Counts by status; {@code resolved} counts resolved alerts, recorded but not counted. */
  record Summary(
      int total, int created, int deduplicated, int resolved, int rejected, int failed) {}
}
