package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.security.AccessReviews;
import ai.kubernaut.gateway.security.Sender;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TokenReview and SubjectAccessReview through the API server. The SubjectAccessReview carries the
 * sender's groups, uid and extra, so RoleBindings to groups grant access.
 */
public final class KubernetesAccessReviews implements AccessReviews {

  private static final Logger log = LoggerFactory.getLogger(KubernetesAccessReviews.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String resource;
  private final String resourceName;
  private final List<String> audiences;

  public KubernetesAccessReviews(
      KubernetesClient client, String namespace, String resource, String resourceName) {
    this(client, namespace, resource, resourceName, List.of());
  }

  /**
   * Reviews tokens for {@code audiences}: the API server checks the token against them, and a token
   * is accepted only when the review names one of them as the audience it is valid for. No
   * audiences means the API server's own.
   */
  public KubernetesAccessReviews(
      KubernetesClient client,
      String namespace,
      String resource,
      String resourceName,
      List<String> audiences) {
    this.client = client;
    this.namespace = namespace;
    this.resource = resource;
    this.resourceName = resourceName;
    this.audiences = List.copyOf(audiences);
  }

  @Override
  public Optional<Sender> authenticate(String token) {
    TokenReview review;
    try {
      review =
          client
              .authentication()
              .v1()
              .tokenReviews()
              .create(
                  new TokenReviewBuilder()
                      .withNewSpec()
                      .withToken(token)
                      .withAudiences(audiences.isEmpty() ? null : audiences)
                      .endSpec()
                      .build());
    } catch (KubernetesClientException e) {
      log.warn("TokenReview failed: HTTP {}", e.getCode());
      throw new UnavailableException("TokenReview failed", null);
    }
    TokenReviewStatus status = review == null ? null : review.getStatus();
    if (status == null) {
      return Optional.empty();
    }
    if (!Boolean.TRUE.equals(status.getAuthenticated())) {
      if (isTransient(status.getError())) {
        log.warn("TokenReview could not decide: {}", status.getError());
        throw new UnavailableException("TokenReview reported a transient error", null);
      }
      return Optional.empty();
    }
    if (status.getUser() == null || isBlank(status.getUser().getUsername())) {
      return Optional.empty();
    }
    if (!audiences.isEmpty()
        && (status.getAudiences() == null
            || status.getAudiences().stream().noneMatch(audiences::contains))) {
      log.debug("TokenReview authenticated the token for none of the gateway's audiences");
      return Optional.empty();
    }
    UserInfo user = status.getUser();
    return Optional.of(
        new Sender(
            user.getUsername(),
            user.getUid() == null ? "" : user.getUid(),
            user.getGroups() == null ? List.of() : user.getGroups(),
            user.getExtra() == null ? Map.of() : user.getExtra()));
  }

  @Override
  public boolean authorize(Sender sender) {
    SubjectAccessReview review;
    try {
      review =
          client
              .authorization()
              .v1()
              .subjectAccessReview()
              .create(
                  new SubjectAccessReviewBuilder()
                      .withNewSpec()
                      .withUser(sender.username())
                      .withUid(sender.uid().isEmpty() ? null : sender.uid())
                      .withGroups(sender.groups())
                      .withExtra(sender.extra())
                      .withNewResourceAttributes()
                      .withNamespace(namespace)
                      .withGroup("")
                      .withResource(resource)
                      .withName(resourceName)
                      .withVerb("create")
                      .endResourceAttributes()
                      .endSpec()
                      .build());
    } catch (KubernetesClientException e) {
      log.warn("SubjectAccessReview failed: HTTP {}", e.getCode());
      throw new UnavailableException("SubjectAccessReview failed", null);
    }
    return review != null
        && review.getStatus() != null
        && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  /**
   * Whether a TokenReview's {@code status.error} says the authenticator could not decide now (a
   * lookup or backend failing) rather than that the token is bad. The API server fills the field
   * for bad tokens too ("invalid bearer token, token has expired"), so only errors naming an
   * infrastructure failure count as transient; anything else stays a refusal. When authenticators
   * are chained, one failing transiently makes the whole review transient: that one might have
   * accepted the token.
   */
  static boolean isTransient(String error) {
    if (isBlank(error)) {
      return false;
    }
    // Quoted parts repeat what the token says (its audiences, its service account's name), which
    // its holder chooses: they must not make a refusal look like an outage.
    String e = QUOTED.matcher(error).replaceAll("\"\"").toLowerCase(java.util.Locale.ROOT);
    return TRANSIENT_MARKERS.stream().anyMatch(e::contains);
  }

  private static final java.util.regex.Pattern QUOTED =
      java.util.regex.Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

  private static final List<String> TRANSIENT_MARKERS =
      List.of(
          "timeout",
          "timed out",
          "deadline exceeded",
          "unavailable",
          "connection refused",
          "connection reset",
          "broken pipe",
          "dial tcp",
          "no such host",
          "no route to host",
          "unexpected eof",
          "tls handshake",
          "context canceled",
          "unable to handle the request",
          "i/o",
          "too many requests",
          "rate limit",
          "etcd",
          "try again",
          "internal error");

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
