package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.security.TrustedProxies;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/** Records each request's client address, trusting proxy headers only from trusted proxies. */
final class ClientAddresses implements Filter {

  private static final String CONTEXT_KEY = ClientAddresses.class.getName();

  private final TrustedProxies proxies;

  ClientAddresses(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  static String of(ServerRequest req) {
    return req.context().get(CONTEXT_KEY, String.class).orElseGet(() -> peer(req));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String client = proxies.clientAddress(peer(req), name -> allLines(req, name));
    req.context().register(CONTEXT_KEY, client);
    chain.proceed();
  }

  /**
   * Every line of a header joined as one list, as RFC 9110 reads repeated fields: a proxy may add
   * its own {@code X-Forwarded-For} line after the one the client wrote, and reading only the first
   * line would believe the client.
   */
  private static Optional<String> allLines(ServerRequest req, String name) {
    HeaderName header = HeaderNames.create(name);
    if (!req.headers().contains(header)) {
      return Optional.empty();
    }
    return Optional.of(String.join(",", req.headers().values(header)));
  }

  private static String peer(ServerRequest req) {
    return req.remotePeer().host();
  }
}
