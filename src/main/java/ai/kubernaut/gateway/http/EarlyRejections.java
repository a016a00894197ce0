package ai.kubernaut.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import java.util.UUID;

/**
 * Answers what the web server refuses before any filter of ours runs (a malformed request line, an
 * invalid or oversized header, conflicting lengths, an unsupported encoding) the way every other
 * answer looks: an RFC 7807 body, a fresh {@code X-Request-ID} and the security headers. The body
 * never repeats the server's own message, which may quote the offending input; the connection is
 * closed, as nothing after a malformed request can be trusted to be framed right.
 */
public final class EarlyRejections implements DirectHandler {

  private final JsonResponses responses;

  private EarlyRejections(JsonResponses responses) {
    this.responses = responses;
  }

  /** Installs the handler on {@code listener} for every kind of early rejection. */
  public static void applyTo(WebServerConfig.Builder listener, ObjectMapper json) {
    EarlyRejections handler = new EarlyRejections(new JsonResponses(json));
    DirectHandlers.Builder handlers = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      handlers.addHandler(type, handler);
    }
    listener.directHandlers(handlers.build());
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status defaultStatus,
      ServerResponseHeaders responseHeaders,
      String message) {
    int status = defaultStatus.code();
    String id = UUID.randomUUID().toString();
    TransportResponse.Builder response =
        TransportResponse.builder()
            .status(defaultStatus)
            .headers(responseHeaders)
            .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
            .header(RequestIds.X_REQUEST_ID, id)
            .keepAlive(false);
    RequestIds.SECURITY_HEADERS.forEach(
        (name, value) -> response.header(HeaderNames.create(name), value));
    String detail = status >= 500 ? "The server could not handle the request" : "Malformed request";
    return response.entity(responses.bytes(Problem.of(status, detail, "", id))).build();
  }
}
