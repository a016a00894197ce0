package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.IncidentClaim;
import ai.kubernaut.gateway.signal.Sha256;
import ai.kubernaut.gateway.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a replica reads a fingerprint's claim before taking the next one, against the mock. */
class IncidentClaimsIT {

  private static final Fingerprint FINGERPRINT = new Fingerprint(Sha256.hex("checkout"));
  private static final String LEASE =
      MockCluster.LEASE_PATH + "/" + IncidentClaims.leaseName(FINGERPRINT);

  MockCluster cluster;
  KubernetesClient client;
  IncidentClaims replicaA;
  IncidentClaims replicaB;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.newClient();
    ApiCalls calls =
        new ApiCalls(
            new GatewayConfig.Retry(2, Duration.ofMillis(10), Duration.ofMillis(20)),
            Duration.ofSeconds(5),
            new WriteCircuitBreaker(Clock.systemUTC(), state -> {}));
    replicaA =
        new IncidentClaims(
            client,
            MockCluster.CONTROLLER_NAMESPACE,
            "replica-a",
            calls,
            Clock.systemUTC(),
            new ApiServerTime());
    replicaB =
        new IncidentClaims(
            client,
            MockCluster.CONTROLLER_NAMESPACE,
            "replica-b",
            calls,
            Clock.systemUTC(),
            new ApiServerTime());
  }

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
  }

  private static Deadline fiveSeconds() {
    return new Deadline(System.nanoTime() + Duration.ofSeconds(5).toNanos());
  }

  /**
   * Replica B opened incidents 1 to 3; replica A remembers nothing of the fingerprint and its cache
   * shows none of them, but its uncached list did. Assuming no claim would only cost a Lease create
   * that certainly fails (409) and a read after it: the claim is read at once instead.
   */
  @Test
  void aClaimIsReadWhenTheCallerListedIncidentsItRemembersNothingOf() {
    replicaB.take(FINGERPRINT, IncidentClaim.assumedAbsent(), 3, fiveSeconds());
    cluster.faults().forgetSeen();

    IncidentClaim current = replicaA.current(FINGERPRINT, false, 3, fiveSeconds());

    assertThat(current.source()).isEqualTo(IncidentClaim.Source.READ);
    assertThat(current.sequence()).isEqualTo(3);
    assertThat(cluster.faults().seen("GET", LEASE)).hasSize(1);
    assertThat(cluster.faults().seen("POST", MockCluster.LEASE_PATH)).isEmpty();
  }

  /** The first incident of a fingerprint costs no read of its claim. */
  @Test
  void nothingKnownAndNothingListedAssumesNoClaimWithoutARequest() {
    IncidentClaim current = replicaA.current(FINGERPRINT, false, 0, fiveSeconds());

    assertThat(current.source()).isEqualTo(IncidentClaim.Source.ASSUMED);
    assertThat(cluster.faults().seen()).isEmpty();
  }
}
