package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.CreateWindow;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.signal.TransientBackendException;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store sends a claimed incident's create only while a request lasting the client's whole
 * request timeout ends within the claim's window, against the mock API server.
 */
class CreateWindowIT {

  MockCluster cluster;
  KubernetesClient client;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    cluster.close();
  }

  private RemediationRequestStore storeWithRequestTimeout(Duration requestTimeout) {
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(cluster.client().getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .withRequestTimeout((int) requestTimeout.toMillis())
                    .build())
            .build();
    ApiCalls calls =
        new ApiCalls(
            new GatewayConfig.Retry(2, Duration.ofMillis(10), Duration.ofMillis(20)),
            Duration.ofSeconds(5),
            new WriteCircuitBreaker(Clock.systemUTC(), state -> {}));
    return new RemediationRequestStore(
        client,
        MockCluster.CONTROLLER_NAMESPACE,
        calls,
        new RemediationRequestMapper(new ObjectMapper()),
        new IncidentClaims(
            client,
            MockCluster.CONTROLLER_NAMESPACE,
            "replica-a",
            calls,
            Clock.systemUTC(),
            new ApiServerTime()),
        Clock.systemUTC(),
        new KubeMetrics() {
          @Override
          public void apiRequest(String verb, String resource, String code) {}

          @Override
          public void writeBreakerState(int state) {}

          @Override
          public void incidentClaimAcquired() {}

          @Override
          public void incidentClaimContended() {}

          @Override
          public void refreshFailed() {}
        });
  }

  private static Signal signal() {
    return SampleSignals.about("KubePodCrashLooping", "demo", "checkout", Instant.now(), "{}");
  }

  @Test
  void aCreateWhoseRequestMayOutlastTheClaimWindowIsNotSent() {
    RemediationRequestStore store = storeWithRequestTimeout(Duration.ofSeconds(45));
    cluster.faults().forgetSeen();

    assertThatThrownBy(
            () ->
                store.create(
                    signal(),
                    1,
                    Instant.now().plusSeconds(90),
                    CreateWindow.ofClaimSentAt(System.nanoTime())))
        .isInstanceOf(TransientBackendException.class)
        .hasMessageContaining("not sent");
    assertThat(cluster.faults().seen("POST", MockCluster.RR_PATH)).isEmpty();
  }

  @Test
  void aCreateLateInItsClaimWindowIsNotSent() {
    RemediationRequestStore store = storeWithRequestTimeout(Duration.ofSeconds(5));
    cluster.faults().forgetSeen();
    // the claim was sent 24 s ago: a 5 s request would end after 28 s
    long claimSentAt = System.nanoTime() - Duration.ofSeconds(24).toNanos();

    assertThatThrownBy(
            () ->
                store.create(
                    signal(),
                    1,
                    Instant.now().plusSeconds(15),
                    CreateWindow.ofClaimSentAt(claimSentAt)))
        .isInstanceOf(TransientBackendException.class);
    assertThat(cluster.faults().seen("POST", MockCluster.RR_PATH)).isEmpty();
  }

  @Test
  void aClientWithoutARequestTimeoutSendsNoCreate() {
    RemediationRequestStore store = storeWithRequestTimeout(Duration.ZERO);
    cluster.faults().forgetSeen();

    assertThatThrownBy(
            () ->
                store.create(
                    signal(),
                    1,
                    Instant.now().plusSeconds(15),
                    CreateWindow.ofClaimSentAt(System.nanoTime())))
        .isInstanceOf(TransientBackendException.class);
    assertThat(cluster.faults().seen("POST", MockCluster.RR_PATH)).isEmpty();
  }

  @Test
  void aCreateRightAfterItsClaimIsSent() {
    RemediationRequestStore store = storeWithRequestTimeout(Duration.ofSeconds(5));
    cluster.faults().forgetSeen();

    IncidentState created =
        store.create(
            signal(),
            1,
            Instant.now().plusSeconds(15),
            CreateWindow.ofClaimSentAt(System.nanoTime()));

    assertThat(created.sequence()).isEqualTo(1);
    assertThat(cluster.faults().seen("POST", MockCluster.RR_PATH)).hasSize(1);
  }
}
