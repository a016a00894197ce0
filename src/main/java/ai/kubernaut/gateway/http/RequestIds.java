package ai.kubernaut.gateway.http;

import ai.kubernaut.gateway.intake.OutcomeLog;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id (a well-formed incoming {@code X-Request-ID} is kept, otherwise a new
 * UUID) and adds the security headers to every response.
 */
final class RequestIds implements Filter {

  static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-ID");
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final String CONTEXT_KEY = RequestIds.class.getName();

  /** The headers every response carries. */
  static final java.util.Map<String, String> SECURITY_HEADERS =
      java.util.Map.of(
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "X-XSS-Protection", "1; mode=block",
          "Strict-Transport-Security", "max-age=31536000; includeSubDomains",
          "Content-Security-Policy", "default-src 'none'",
          "Referrer-Policy", "no-referrer");

  static String of(ServerRequest req) {
    return req.context().get(CONTEXT_KEY, String.class).orElse("");
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String incoming = req.headers().first(X_REQUEST_ID).orElse("");
    String id = VALID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    req.context().register(CONTEXT_KEY, id);
    res.header(X_REQUEST_ID, id);
    SECURITY_HEADERS.forEach(res::header);
    MDC.put(OutcomeLog.REQUEST_ID, id);
    try {
      chain.proceed();
    } finally {
      MDC.remove(OutcomeLog.REQUEST_ID);
    }
  }
}
