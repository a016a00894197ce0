package ai.kubernaut.gateway.signal;

import java.time.Instant;
import java.util.Objects;

/**
 * Who sent a signal and when their request must be answered.
 *
 * @param requestId the request's correlation id
 * @param actorType {@code authenticated-service} or {@code external}
 * @param actorId the authenticated user, or the signal source when unauthenticated
 * @param deadline when processing must stop waiting
 */
public record RequestContext(String requestId, String actorType, String actorId, Instant deadline) {

  public RequestContext {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(actorType, "actorType");
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(deadline, "deadline");
  }

  public static RequestContext unauthenticated(String requestId, String source, Instant deadline) {
    return new RequestContext(requestId, "external", source, deadline);
  }
}
