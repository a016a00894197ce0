package ai.kubernaut.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
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
    closeIfBodyUnread(req, res);
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

  /**
   * A request refused before its body was read closes its connection: reading a body nobody wants
   * (up to the size limit, under the read deadline) would let anyone hold a connection slot with a
   * large declared length and a trickle of bytes.
   */
  static void closeIfBodyUnread(ServerRequest req, ServerResponse res) {
    if (req.content().hasEntity() && !req.content().consumed()) {
      res.header(HeaderValues.CONNECTION_CLOSE);
    }
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
