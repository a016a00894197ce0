package ai.kubernaut.gateway.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outermost filter: once a request is answered, reads what is left of a body the route did not read
 * (within the read deadline, so a stalled sender cannot hold the connection), then lets the
 * connection's idle deadline run. A refusal that said {@code Connection: close} before the body was
 * read ends the connection instead, without reading the body.
 */
final class RequestPhases implements Filter {

  private static final Logger log = LoggerFactory.getLogger(RequestPhases.class);

  private final ConnectionDeadlines deadlines;

  RequestPhases(ConnectionDeadlines deadlines) {
    this.deadlines = deadlines;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    var peer = req.remotePeer().address();
    try {
      chain.proceed();
    } finally {
      boolean unread = !req.content().consumed();
      if (unread && res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
        deadlines.refusedWithBodyUnread(peer);
      } else {
        if (unread) {
          deadlines.readingBody(peer);
          try {
            req.content().consume();
          } catch (RuntimeException e) {
            log.debug("unread request body could not be consumed", e);
          }
        }
        deadlines.responded(peer);
      }
    }
  }
}
