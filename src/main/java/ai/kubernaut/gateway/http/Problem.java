package ai.kubernaut.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An RFC 7807 problem body, shaped as the Go Gateway writes it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record Problem(
    String type,
    String title,
    String detail,
    int status,
    String instance,
    @JsonProperty("request_id") String requestId) {

  static final String MEDIA_TYPE = "application/problem+json";
  private static final String BASE = "https://kubernaut.ai/problems/";

  static Problem of(int status, String detail, String instance, String requestId) {
    return new Problem(BASE + slug(status), title(status), detail, status, instance, requestId);
  }

  private static String slug(int status) {
    return switch (status) {
      case 400 -> "validation-error";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "payload-too-large";
      case 415 -> "unsupported-media-type";
      case 500 -> "internal-error";
      case 503 -> "service-unavailable";
      case 504 -> "gateway-timeout";
      default -> "unknown";
    };
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Request Entity Too Large";
      case 415 -> "Unsupported Media Type";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Error";
    };
  }
}
