package ai.kubernaut.gateway.security;

import java.util.List;
import java.util.Map;

/**
 * An authenticated sender as the TokenReview described it; everything here is forwarded to the
 * SubjectAccessReview so group bindings work.
 */
public record Sender(
    String username, String uid, List<String> groups, Map<String, List<String>> extra) {

  public Sender {
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }
}
