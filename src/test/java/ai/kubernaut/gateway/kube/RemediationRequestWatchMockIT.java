package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.RemediationRequestStatus;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RemediationRequest watch over a WebSocket, as clients that do not watch only over HTTP do it
 * (embedded mode, the mock API server, which offers no streamed watches).
 */
class RemediationRequestWatchMockIT {

  private static final Instant NOW = Instant.parse("2026-12-06T17:00:00Z");
  private static final String NAMESPACE = MockCluster.CONTROLLER_NAMESPACE;

  private final RemediationRequestMapper mapper = new RemediationRequestMapper(new ObjectMapper());
  private final IncidentIndex index =
      new IncidentIndex(mapper, new OwnWrites(Clock.systemUTC(), Duration.ofMinutes(5)));
  private MockCluster cluster;
  private KubernetesClient client;
  private RemediationRequestWatch watch;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.client();
  }

  @AfterEach
  void stop() {
    if (watch != null) {
      watch.close();
    }
    cluster.close();
  }

  @Test
  void theCacheFollowsCreatesStatusChangesAndDeletionsOverAWebSocket() {
    assertThat(client.getConfiguration().isOnlyHttpWatches()).isFalse();
    RemediationRequest listed = create("checkout");
    watch = new RemediationRequestWatch(client, NAMESPACE, index, Duration.ofMinutes(5));
    watch.start();
    Awaitility.await("listed").atMost(Duration.ofSeconds(20)).until(watch::synced);
    assertThat(index.get(NAMESPACE, name(listed))).isNotNull();

    RemediationRequest later = create("payments");
    Awaitility.await("the created incident")
        .atMost(Duration.ofSeconds(20))
        .until(() -> index.get(NAMESPACE, name(later)) != null);
    client
        .resources(RemediationRequest.class)
        .inNamespace(NAMESPACE)
        .withName(name(later))
        .editStatus(
            current -> {
              RemediationRequestStatus status = new RemediationRequestStatus();
              status.setOverallPhase("Completed");
              current.setStatus(status);
              return current;
            });
    Awaitility.await("the status change")
        .atMost(Duration.ofSeconds(20))
        .until(() -> "Completed".equals(index.get(NAMESPACE, name(later)).phase()));
    client
        .resources(RemediationRequest.class)
        .inNamespace(NAMESPACE)
        .withName(name(listed))
        .delete();
    Awaitility.await("the deletion")
        .atMost(Duration.ofSeconds(20))
        .until(() -> index.get(NAMESPACE, name(listed)) == null);

    assertThat(index.size()).isOne();
  }

  private static String name(RemediationRequest rr) {
    return rr.getMetadata().getName();
  }

  private RemediationRequest create(String deployment) {
    Signal signal = SampleSignals.about("KubePodCrashLooping", "shop", deployment, NOW, "{}");
    RemediationRequest rr = mapper.newRequest(signal, 1, NAMESPACE, NOW);
    return client.resources(RemediationRequest.class).inNamespace(NAMESPACE).resource(rr).create();
  }
}
