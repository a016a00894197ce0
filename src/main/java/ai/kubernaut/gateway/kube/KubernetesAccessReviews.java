package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.security.AccessReviews;
import ai.kubernaut.gateway.security.Sender;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
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

  public KubernetesAccessReviews(
      KubernetesClient client, String namespace, String resource, String resourceName) {
    this.client = client;
    this.namespace = namespace;
    this.resource = resource;
    this.resourceName = resourceName;
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
              .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    } catch (KubernetesClientException e) {
      log.warn("TokenReview failed: HTTP {}", e.getCode());
      throw new UnavailableException("TokenReview failed", null);
    }
    if (review == null
        || review.getStatus() == null
        || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
        || review.getStatus().getUser() == null
        || isBlank(review.getStatus().getUser().getUsername())) {
      return Optional.empty();
    }
    UserInfo user = review.getStatus().getUser();
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

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
