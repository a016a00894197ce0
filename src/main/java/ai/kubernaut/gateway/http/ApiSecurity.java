package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.security.CorsPolicy;
import ai.kubernaut.gateway.security.SenderAuthenticator;
import ai.kubernaut.gateway.security.TrustedProxies;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API listener's protections, in order: CORS (preflights are answered here), the in-flight
 * limit, the client address (trusted proxies), sender authentication. Payload bounds and freshness
 * are checked by the intake step once the body is read.
 */
public final class ApiSecurity {

  private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

  private final List<Filter> filters;

  private ApiSecurity(List<Filter> filters) {
    this.filters = List.copyOf(filters);
  }

  /**
   * The security policies the protections apply.
   *
   * @param authenticator empty when sender authentication is off
   */
  public record Policies(
      CorsPolicy cors, TrustedProxies proxies, Optional<SenderAuthenticator> authenticator) {}

  /**
   * Builds the protections.
   *
   * @param maxInFlight most requests processed at once (0: no limit)
   * @param signalRoutes the paths of the signal routes, which sender authentication guards
   */
  public static ApiSecurity create(
      Policies policies,
      int maxInFlight,
      Set<String> signalRoutes,
      ObjectMapper json,
      ProtectionMetrics metrics) {
    JsonResponses responses = new JsonResponses(json);
    List<Filter> filters = new ArrayList<>();
    if (policies.cors().allowsAnyOrigin() && policies.cors().allowsCredentials()) {
      log.warn(
          "cors.allowedOrigins is * with cors.allowCredentials: every origin is answered as"
              + " allowed with credentials; list the origins instead");
    }
    filters.add(new CrossOrigin(policies.cors()));
    if (maxInFlight > 0) {
      filters.add(new InFlightLimit(maxInFlight, responses, metrics));
    }
    filters.add(new ClientAddresses(policies.proxies()));
    policies
        .authenticator()
        .ifPresent(a -> filters.add(new SenderAuth(a, signalRoutes, responses, metrics)));
    return new ApiSecurity(filters);
  }

  List<Filter> filters() {
    return filters;
  }
}
