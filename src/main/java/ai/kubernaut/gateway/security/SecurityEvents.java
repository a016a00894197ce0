package ai.kubernaut.gateway.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs security-relevant rejections as structured events ({@code security_event}, {@code reason},
 * {@code client}, {@code request_id}, optional {@code user}). Never pass a token or a header value.
 */
public final class SecurityEvents {

  private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);

  private SecurityEvents() {}

  public static void rejected(String reason, String client, String requestId, String user) {
    log.atWarn()
        .addKeyValue("security_event", reason)
        .addKeyValue("client", client)
        .addKeyValue("request_id", requestId)
        .addKeyValue("user", user)
        .log("security_event={} client={} request_id={} user={}", reason, client, requestId, user);
  }
}
