package ai.kubernaut.gateway.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads a request body up to a limit without ever buffering more than the limit, under the
 * connection's read deadline.
 */
final class BodyReader {

  /** Signalled when a body exceeds the limit. */
  static final class TooLargeException extends Exception {
    private final boolean drained;

    TooLargeException(boolean drained) {
      super("request body too large", null, false, false);
      this.drained = drained;
    }

    /** True when the rest of the body was read, so the connection can carry the next request. */
    boolean drained() {
      return drained;
    }
  }

  /** After a 413, up to this much more is read so the client can see the response. */
  private static final long DRAIN_LIMIT = 4L * 1024 * 1024;

  private final int maxBytes;
  private final ConnectionDeadlines deadlines;

  BodyReader(int maxBytes, ConnectionDeadlines deadlines) {
    this.maxBytes = maxBytes;
    this.deadlines = deadlines;
  }

  int maxBytes() {
    return maxBytes;
  }

  byte[] read(ServerRequest req) throws TooLargeException, IOException {
    var peer = req.remotePeer().address();
    deadlines.readingBody(peer);
    try {
      return readWithin(req);
    } finally {
      deadlines.bodyRead(peer);
    }
  }

  private byte[] readWithin(ServerRequest req) throws TooLargeException, IOException {
    Optional<Long> declared =
        req.headers().first(HeaderNames.CONTENT_LENGTH).flatMap(BodyReader::parseLong);
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      if (declared.isPresent() && declared.get() > maxBytes) {
        throw new TooLargeException(drain(in));
      }
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw new TooLargeException(drain(in));
      }
      return body;
    }
  }

  private static boolean drain(InputStream in) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (total > DRAIN_LIMIT) {
        return false;
      }
    }
    return true;
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return Optional.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
