package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.kube.KubernetesAccessReviews;
import ai.kubernaut.gateway.kube.ServiceAccountIssuerDiscovery;
import ai.kubernaut.gateway.security.IssuerKeys;
import ai.kubernaut.gateway.security.SenderAuthenticator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses sender authentication from the configuration, warning when it is off. */
final class SenderAuthentication {

  private static final Logger log = LoggerFactory.getLogger(SenderAuthentication.class);

  /** Least time between two reads of the issuer's keys, however many unknown key ids arrive. */
  static final Duration KEY_REFRESH_INTERVAL = Duration.ofSeconds(30);

  private SenderAuthentication() {}

  static Optional<SenderAuthenticator> create(
      GatewayConfig config, KubernetesClient client, Clock clock) {
    GatewayConfig.Auth auth = config.security().auth();
    if (!auth.enabled()) {
      log.warn(
          "sender authentication is OFF (auth.mode: none): anyone who can reach the API port can"
              + " create RemediationRequests");
      return Optional.empty();
    }
    String namespace =
        auth.namespace().isBlank() ? config.identity().controllerNamespace() : auth.namespace();
    log.info(
        "senders need 'create' on {}/{} in namespace {} (TokenReview + SubjectAccessReview)",
        auth.resource(),
        auth.resourceName(),
        namespace);
    if (!auth.audiences().isEmpty()) {
      log.info("sender tokens must be valid for one of the audiences {}", auth.audiences());
    }
    return Optional.of(
        new SenderAuthenticator(
            new KubernetesAccessReviews(
                client, namespace, auth.resource(), auth.resourceName(), auth.audiences()),
            new SenderAuthenticator.Policy(
                auth.cacheTtl(),
                auth.negativeCacheTtl(),
                auth.cacheSize(),
                config.server().requestDeadline(),
                auth.reviewsPerSecond()),
            new IssuerKeys(new ServiceAccountIssuerDiscovery(client), clock, KEY_REFRESH_INTERVAL),
            clock));
  }
}
