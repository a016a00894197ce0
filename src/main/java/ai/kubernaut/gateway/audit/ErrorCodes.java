package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.ApiError;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps the Kubernetes API's answer to the {@code error_details.code} of a {@code
 * gateway.crd.failed} event, the way the Go Gateway's typed error checks do: by the answer's
 * reason, and by its status code only when the reason is not one Kubernetes defines.
 */
final class ErrorCodes {

  /** One {@code error_details} classification. */
  record Code(String code, boolean retryPossible) {}

  private static final Set<String> KNOWN_REASONS =
      Set.of(
          "Unauthorized",
          "Forbidden",
          "NotFound",
          "AlreadyExists",
          "Conflict",
          "Gone",
          "Invalid",
          "ServerTimeout",
          "StoreReadError",
          "Timeout",
          "TooManyRequests",
          "BadRequest",
          "MethodNotAllowed",
          "NotAcceptable",
          "RequestEntityTooLarge",
          "UnsupportedMediaType",
          "InternalError",
          "Expired",
          "ServiceUnavailable");

  private static final Code UNKNOWN = new Code("ERR_K8S_UNKNOWN", false);

  private static final List<Rule> RULES =
      List.of(
          new Rule(ApiError.CIRCUIT_BREAKER_OPEN, 0, "ERR_CIRCUIT_BREAKER_OPEN", true),
          new Rule("NotFound", 404, "ERR_K8S_NOT_FOUND", false),
          new Rule("AlreadyExists", 0, "ERR_K8S_ALREADY_EXISTS", false),
          new Rule("Conflict", 409, "ERR_K8S_CONFLICT", true),
          new Rule("Forbidden", 403, "ERR_K8S_FORBIDDEN", false),
          new Rule("Unauthorized", 401, "ERR_K8S_UNAUTHORIZED", false),
          new Rule("Invalid", 422, "ERR_K8S_INVALID", false),
          new Rule("Timeout", 504, "ERR_K8S_TIMEOUT", true),
          new Rule("ServerTimeout", 0, "ERR_K8S_SERVER_TIMEOUT", true),
          new Rule("ServiceUnavailable", 503, "ERR_K8S_SERVICE_UNAVAILABLE", true),
          new Rule("InternalError", 500, "ERR_K8S_INTERNAL", true));

  private ErrorCodes() {}

  static Code of(Optional<ApiError> error) {
    if (error.isEmpty()) {
      return UNKNOWN;
    }
    ApiError e = error.get();
    boolean byCode = !KNOWN_REASONS.contains(e.reason());
    for (Rule rule : RULES) {
      if (e.reason().equals(rule.reason())
          || (byCode && rule.code() != 0 && e.code() == rule.code())) {
        return rule.result();
      }
    }
    return UNKNOWN;
  }

  /** Matches an answer by reason, or by status code ({@code 0}: never) for unknown reasons. */
  private record Rule(String reason, int code, Code result) {
    Rule(String reason, int code, String errorCode, boolean retryPossible) {
      this(reason, code, new Code(errorCode, retryPossible));
    }
  }
}
