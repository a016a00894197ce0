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

  /** The audience a token is bound to when its user names none: the API server's. */
  public static final String API_SERVER_AUDIENCE = "https://kubernetes.default.svc";

  /** A user a token authenticates as, for the audiences it was minted for. */
  public record User(String username, String uid, List<String> groups, List<String> audiences) {
    public User(String username, String uid, List<String> groups) {
      this(username, uid, groups, List.of(API_SERVER_AUDIENCE));
    }
  }

  private final Dispatcher delegate;
  private final Map<String, User> tokens = new ConcurrentHashMap<>();
  private final Set<String> grantedUsers = ConcurrentHashMap.newKeySet();
  private final Set<String> grantedGroups = ConcurrentHashMap.newKeySet();
  private final Queue<JsonNode> accessReviews = new ConcurrentLinkedQueue<>();
  private final Queue<JsonNode> tokenReviews = new ConcurrentLinkedQueue<>();
  private final Map<String, String> tokenErrors = new ConcurrentHashMap<>();
  private final Map<String, String> issuerDocuments = new ConcurrentHashMap<>();

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

  /**
   * Reviews of {@code token} answer {@code authenticated: false} with {@code status.error}, as the
   * API server does when its authenticator fails.
   */
  public void tokenError(String token, String error) {
    tokenErrors.put(token, error);
  }

  /**
   * Serves service account issuer discovery, as an API server does: {@code configuration} at {@code
   * /.well-known/openid-configuration} and {@code jwks} at {@code /openid/v1/jwks}.
   */
  public void issuerDiscovery(String configuration, String jwks) {
    issuerDocuments.put("/.well-known/openid-configuration", configuration);
    issuerDocuments.put("/openid/v1/jwks", jwks);
  }

  /** The TokenReview specs received (tokens removed), oldest first. */
  public List<JsonNode> tokenReviews() {
    return List.copyOf(tokenReviews);
  }

  /** The SubjectAccessReview specs received, oldest first. */
  public List<JsonNode> accessReviews() {
    return List.copyOf(accessReviews);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath().split("\\?", 2)[0];
    if ("GET".equals(request.getMethod()) && issuerDocuments.containsKey(path)) {
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(issuerDocuments.get(path));
    }
    if (!"POST".equals(request.getMethod())
        || !(path.equals(TOKEN_REVIEWS) || path.equals(SUBJECT_ACCESS_REVIEWS))) {
      return delegate.dispatch(request);
    }
    try {
      ObjectNode review = (ObjectNode) JSON.readTree(request.getUtf8Body());
      ObjectNode status = review.putObject("status");
      JsonNode spec = review.path("spec");
      if (path.equals(TOKEN_REVIEWS)) {
        String token = spec.path("token").asText();
        ObjectNode recorded = spec.deepCopy();
        recorded.remove("token");
        tokenReviews.add(recorded);
        User user = tokens.get(token);
        List<String> requested = new java.util.ArrayList<>();
        spec.path("audiences").forEach(a -> requested.add(a.asText()));
        if (requested.isEmpty()) {
          requested.add(API_SERVER_AUDIENCE);
        }
        List<String> valid =
            user == null
                ? List.of()
                : requested.stream().filter(user.audiences()::contains).toList();
        if (tokenErrors.containsKey(token)) {
          status.put("authenticated", false);
          status.put("error", tokenErrors.get(token));
        } else if (user == null || valid.isEmpty()) {
          status.put("authenticated", false);
          status.put("error", "[invalid bearer token, token lookup failed]");
        } else {
          status.put("authenticated", true);
          ObjectNode u = status.putObject("user");
          u.put("username", user.username());
          u.put("uid", user.uid());
          user.groups().forEach(u.putArray("groups")::add);
          if (spec.has("audiences")) {
            valid.forEach(status.putArray("audiences")::add);
          }
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
