package ai.kubernaut.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Writes JSON and RFC 7807 bodies. */
final class JsonResponses {

  private final ObjectMapper json;

  JsonResponses(ObjectMapper json) {
    this.json = json;
  }

  void send(ServerResponse res, int status, Object body) {
    write(res, status, "application/json", body);
  }

  void problem(ServerRequest req, ServerResponse res, int status, String detail) {
    write(
        res,
        status,
        Problem.MEDIA_TYPE,
        Problem.of(status, detail, req.path().path(), RequestIds.of(req)));
  }

  void unavailable(ServerRequest req, ServerResponse res, String detail, int retryAfterSeconds) {
    res.header(HeaderNames.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    problem(req, res, 503, detail);
  }

  byte[] bytes(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response bodies always serialise", e);
    }
  }

  private void write(ServerResponse res, int status, String contentType, Object body) {
    byte[] bytes = bytes(body);
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.send(bytes);
  }
}
