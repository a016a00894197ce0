package ai.kubernaut.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Answers TokenReviews and SubjectAccessReviews as a real API server would, from tokens and grants
 * the test registers; every other request goes to the CRUD store. Reviews it received are kept so
 * tests can assert what the gateway sent (for example the groups).
 */
public final class AccessReviewResponder extends Dispatcher {

  static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  static final String SUBJECT_ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A user a token authenticates as. */
  public record User(String username, String uid, List<String> groups) {}

  private final Dispatcher delegate;
  private final Map<String, User> tokens = new ConcurrentHashMap<>();
  private final Set<String> grantedUsers = ConcurrentHashMap.newKeySet();
  private final Set<String> grantedGroups = ConcurrentHashMap.newKeySet();
  private final Queue<JsonNode> accessReviews = new ConcurrentLinkedQueue<>();

  AccessReviewResponder(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** {@code token} authenticates as {@code user}. */
  public void token(String token, User user) {
    tokens.put(token, user);
  }

  /** {@code username} may create the gateway service (a RoleBinding to the user). */
  public void grantUser(String username) {
    grantedUsers.add(username);
  }

  /** Members of {@code group} may create the gateway service (a RoleBinding to the group). */
  public void grantGroup(String group) {
    grantedGroups.add(group);
  }

  /** The SubjectAccessReview specs received, oldest first. */
  public List<JsonNode> accessReviews() {
    return List.copyOf(accessReviews);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath().split("\\?", 2)[0];
    if (!"POST".equals(request.getMethod())
        || !(path.equals(TOKEN_REVIEWS) || path.equals(SUBJECT_ACCESS_REVIEWS))) {
      return delegate.dispatch(request);
    }
    try {
      ObjectNode review = (ObjectNode) JSON.readTree(request.getUtf8Body());
      ObjectNode status = review.putObject("status");
      JsonNode spec = review.path("spec");
      if (path.equals(TOKEN_REVIEWS)) {
        User user = tokens.get(spec.path("token").asText());
        status.put("authenticated", user != null);
        if (user != null) {
          ObjectNode u = status.putObject("user");
          u.put("username", user.username());
          u.put("uid", user.uid());
          user.groups().forEach(u.putArray("groups")::add);
        }
      } else {
        accessReviews.add(spec);
        boolean allowed = grantedUsers.contains(spec.path("user").asText());
        for (JsonNode group : spec.path("groups")) {
          allowed |= grantedGroups.contains(group.asText());
        }
        status.put("allowed", allowed);
      }
      return new MockResponse()
          .setResponseCode(201)
          .setHeader("Content-Type", "application/json")
          .setBody(JSON.writeValueAsString(review));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
