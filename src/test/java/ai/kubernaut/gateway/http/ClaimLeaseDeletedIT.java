package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review attack on the 404 handling of a claim: a Lease deleted after this replica last wrote it (a
 * Go Gateway's release) answers the claim's conditional update 404. That must be read as "the claim
 * changed", not as "the namespace is missing": the signal opens its incident.
 */
class ClaimLeaseDeletedIT {

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;
  FaultDispatcher server;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    gateway = GatewayHarness.start(cluster, dir, "");
    server = cluster.faults();
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void aClaimWhoseLeaseWasDeletedSinceItWasWrittenIsTakenAgainNotFailedAsAMissingNamespace() {
    assertThat(
            gateway.post(AlertmanagerSource.PATH, Fixtures.firingPodNotification(1)).statusCode())
        .isEqualTo(201);
    completeAll(1);
    // the Go Gateway took the expired claim over and released it: the Lease is gone
    assertThat(cluster.client().leases().inNamespace(MockCluster.CONTROLLER_NAMESPACE).list())
        .extracting(l -> l.getItems().size())
        .isEqualTo(1);
    cluster.client().leases().inNamespace(MockCluster.CONTROLLER_NAMESPACE).delete();
    server.forgetSeen();

    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, Fixtures.firingPodNotification(2));

    List<String> leaseCalls =
        server.seen().stream()
            .filter(s -> s.path().startsWith(MockCluster.LEASE_PATH))
            .map(s -> s.method() + " " + s.path().substring(s.path().lastIndexOf('/') + 1))
            .toList();
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(leaseCalls)
        .as("the update answered 404 is followed by a read and a create")
        .extracting(c -> c.substring(0, c.indexOf(' ')))
        .containsExactly("PUT", "GET", "POST");
    assertThat(
            cluster
                .client()
                .resources(RemediationRequest.class)
                .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
                .list()
                .getItems())
        .hasSize(2);
  }

  @Test
  void aClaimUpdateAnswered404IsTakenAgainNotFailedAsAMissingNamespace() {
    assertThat(
            gateway.post(AlertmanagerSource.PATH, Fixtures.firingPodNotification(1)).statusCode())
        .isEqualTo(201);
    completeAll(1);
    server.fail("PUT", MockCluster.LEASE_PATH, 404, 1);

    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, Fixtures.firingPodNotification(2));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private void completeAll(int expected) {
    cluster.completeIncidents(expected);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> gateway.app().pendingOwnWrites() == 0);
  }
}
