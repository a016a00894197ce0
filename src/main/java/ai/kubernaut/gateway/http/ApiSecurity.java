package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.security.CorsPolicy;
import ai.kubernaut.gateway.security.PayloadInspector;
import ai.kubernaut.gateway.security.Rejection;
import ai.kubernaut.gateway.security.SecurityEvents;
import ai.kubernaut.gateway.security.SenderAuthenticator;
import ai.kubernaut.gateway.security.TrustedProxies;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API listener's protections, in order: CORS (preflights are answered here), the in-flight
 * limit, the client address (trusted proxies), sender authentication; then, once the body is read,
 * payload bounds and freshness.
 */
public final class ApiSecurity {

  private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

  private static final io.helidon.http.HeaderName X_TIMESTAMP = HeaderNames.create("X-Timestamp");

  private final List<Filter> filters;
  private final PayloadInspector inspector;
  private final Map<String, PayloadInspector.Kind> kinds;

  private ApiSecurity(
      List<Filter> filters, PayloadInspector inspector, Map<String, PayloadInspector.Kind> kinds) {
    this.filters = List.copyOf(filters);
    this.inspector = inspector;
    this.kinds = Map.copyOf(kinds);
  }

  /**
   * The security policies the protections apply.
   *
   * @param authenticator empty when sender authentication is off
   */
  public record Policies(
      CorsPolicy cors,
      TrustedProxies proxies,
      PayloadInspector inspector,
      Optional<SenderAuthenticator> authenticator) {}

  /**
   * Builds the protections.
   *
   * @param maxInFlight most requests processed at once (0: no limit)
   * @param kinds the payload kind of each signal route
   */
  public static ApiSecurity create(
      Policies policies,
      int maxInFlight,
      Map<String, PayloadInspector.Kind> kinds,
      ObjectMapper json,
      MeterRegistry registry) {
    JsonResponses responses = new JsonResponses(json);
    List<Filter> filters = new ArrayList<>();
    if (policies.cors().allowsAnyOrigin() && policies.cors().allowsCredentials()) {
      log.warn(
          "cors.allowedOrigins is * with cors.allowCredentials: every origin is answered as"
              + " allowed with credentials; list the origins instead");
    }
    filters.add(new CrossOrigin(policies.cors()));
    if (maxInFlight > 0) {
      filters.add(new InFlightLimit(maxInFlight, responses, registry));
    }
    filters.add(new ClientAddresses(policies.proxies()));
    policies
        .authenticator()
        .ifPresent(a -> filters.add(new SenderAuth(a, kinds.keySet(), responses, registry)));
    return new ApiSecurity(filters, policies.inspector(), kinds);
  }

  List<Filter> filters() {
    return filters;
  }

  /** Checks a read body; answers and returns false when the request is refused. */
  boolean admit(
      ServerRequest req, ServerResponse res, byte[] body, Instant now, JsonResponses out) {
    PayloadInspector.Kind kind = kinds.get(req.path().path());
    if (kind == null) {
      return true;
    }
    Optional<Rejection> rejection =
        inspector.inspect(kind, body, req.headers().first(X_TIMESTAMP), now);
    if (rejection.isEmpty()) {
      return true;
    }
    Rejection r = rejection.get();
    SecurityEvents.rejected(r.reason(), ClientAddresses.of(req), RequestIds.of(req), "");
    out.problem(req, res, r.status(), r.detail());
    return false;
  }
}
