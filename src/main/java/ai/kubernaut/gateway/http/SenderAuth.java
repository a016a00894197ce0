package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.security.AuthDecision;
import ai.kubernaut.gateway.security.SecurityEvents;
import ai.kubernaut.gateway.security.Sender;
import ai.kubernaut.gateway.security.SenderAuthenticator;
import ai.kubernaut.gateway.signal.RequestContext;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Requires {@code Authorization: Bearer <token>} on the signal routes and records the sender for
 * the audit trail. Impersonation headers and {@code X-Auth-Request-User} are never read: the sender
 * is only ever the reviewed token's user, and their presence is logged as a security event.
 */
final class SenderAuth implements Filter {

  static final int RETRY_AFTER_SECONDS = 5;
  static final int THROTTLED_RETRY_AFTER_SECONDS = 1;
  private static final String CONTEXT_KEY = SenderAuth.class.getName();
  private static final String BEARER = "bearer ";

  private final SenderAuthenticator authenticator;
  private final Set<String> signalPaths;
  private final JsonResponses responses;
  private final ProtectionMetrics metrics;

  SenderAuth(
      SenderAuthenticator authenticator,
      Set<String> signalPaths,
      JsonResponses responses,
      ProtectionMetrics metrics) {
    this.authenticator = authenticator;
    this.signalPaths = Set.copyOf(signalPaths);
    this.responses = responses;
    this.metrics = metrics;
  }

  /** The request's audit identity: the authenticated sender, else the signal source. */
  static RequestContext context(ServerRequest req, String source, Instant deadline) {
    Optional<Sender> sender = req.context().get(CONTEXT_KEY, Sender.class);
    return sender
        .map(
            s ->
                new RequestContext(
                    RequestIds.of(req), "authenticated-service", s.username(), deadline))
        .orElseGet(() -> RequestContext.unauthenticated(RequestIds.of(req), source, deadline));
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (req.prologue().method() != Method.POST || !signalPaths.contains(req.path().path())) {
      chain.proceed();
      return;
    }
    if (carriesIdentityHeaders(req)) {
      event(req, "identity_headers_ignored", "");
    }
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()) {
      refuse(req, res, 401, "missing_auth_header", "Missing Authorization header", "");
      return;
    }
    String value = header.get();
    if (value.length() < BEARER.length()
        || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      refuse(req, res, 401, "invalid_auth_format", "Invalid Authorization header format", "");
      return;
    }
    String token = value.substring(BEARER.length()).trim();
    if (token.isEmpty()) {
      refuse(req, res, 401, "empty_bearer_token", "Empty Bearer token", "");
      return;
    }
    switch (authenticator.decide(token)) {
      case AuthDecision.Allowed allowed -> {
        req.context().register(CONTEXT_KEY, allowed.sender());
        chain.proceed();
      }
      case AuthDecision.Unauthenticated u ->
          refuse(req, res, 401, "invalid_token", "Invalid or expired token", "");
      case AuthDecision.Denied denied ->
          refuse(
              req, res, 403, "authorization_denied", "Insufficient permissions", denied.username());
      case AuthDecision.Throttled throttled -> {
        metrics.reviewBudgetExhausted(throttled.budget());
        event(req, "review_budget_exhausted", "");
        res.header(HeaderNames.RETRY_AFTER, Integer.toString(THROTTLED_RETRY_AFTER_SECONDS));
        send(
            req,
            res,
            503,
            "Service Unavailable",
            "Too many new tokens are waiting for review; retry shortly");
      }
      case AuthDecision.Unavailable unavailable -> {
        event(req, unavailable.stage() + "_unavailable", "");
        res.header(HeaderNames.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        String stage =
            unavailable.stage().equals("authentication") ? "Authentication" : "Authorization";
        send(req, res, 503, "Service Unavailable", stage + " service unavailable");
      }
    }
  }

  private static boolean carriesIdentityHeaders(ServerRequest req) {
    for (var header : req.headers()) {
      String name = header.name().toLowerCase(Locale.ROOT);
      if (name.startsWith("impersonate-") || name.equals("x-auth-request-user")) {
        return true;
      }
    }
    return false;
  }

  private void refuse(
      ServerRequest req,
      ServerResponse res,
      int status,
      String reason,
      String detail,
      String user) {
    event(req, reason, user);
    if (status == 401) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    send(req, res, status, status == 401 ? "Unauthorized" : "Forbidden", detail);
  }

  private void send(
      ServerRequest req, ServerResponse res, int status, String title, String detail) {
    JsonResponses.closeIfBodyUnread(req, res);
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
    res.send(responses.bytes(new Problem("about:blank", title, detail, status, "", "")));
  }

  private static void event(ServerRequest req, String reason, String user) {
    SecurityEvents.rejected(reason, ClientAddresses.of(req), RequestIds.of(req), user);
  }
}
