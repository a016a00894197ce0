package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas taking turns on one recurring fingerprint: each replica remembers the claim as its
 * own last write left it, which is stale whenever the other replica opened the incident in between.
 * Counts the requests a new incident then costs on the replica holding the stale claim.
 */
class StaleRememberedClaimIT {

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness first;
  GatewayHarness second;
  FaultDispatcher server;

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    first = GatewayHarness.start(cluster, Files.createDirectories(dir.resolve("a")), "");
    second = GatewayHarness.start(cluster, Files.createDirectories(dir.resolve("b")), "");
    server = cluster.faults();
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
    cluster.close();
  }

  @Test
  void aNewIncidentOnAReplicaWhoseRememberedClaimIsStaleCostsNoMoreThanReadingTheClaim() {
    assertThat(first.post(AlertmanagerSource.PATH, Fixtures.firingPodNotification(1)).statusCode())
        .isEqualTo(201);
    completeAll(1);
    assertThat(second.post(AlertmanagerSource.PATH, Fixtures.firingPodNotification(2)).statusCode())
        .isEqualTo(201);
    completeAll(2);
    server.forgetSeen();

    // the first replica remembers the claim as its own write of incident 1 left it; the second
    // replica has since taken it for incident 2
    assertThat(first.post(AlertmanagerSource.PATH, Fixtures.firingPodNotification(3)).statusCode())
        .isEqualTo(201);

    List<FaultDispatcher.Seen> leaseCalls =
        server.seen().stream().filter(s -> s.path().startsWith(MockCluster.LEASE_PATH)).toList();
    List<FaultDispatcher.Seen> lists =
        server.seen().stream()
            .filter(s -> s.path().startsWith(MockCluster.RR_PATH) && s.method().equals("GET"))
            .filter(
                s ->
                    s.query() != null
                        && s.query().contains("Selector")
                        && !s.query().contains("watch"))
            .toList();
    assertThat(
            cluster
                .client()
                .resources(RemediationRequest.class)
                .inNamespace(MockCluster.CONTROLLER_NAMESPACE)
                .list()
                .getItems())
        .hasSize(3);
    System.out.println(
        "STALE-CLAIM requests "
            + server.seen().stream()
                .filter(s -> s.query() == null || !s.query().contains("watch"))
                .map(s -> s.method() + " " + s.path().substring(s.path().lastIndexOf('/') + 1))
                .toList());
    // what reading the claim first (the protocol before remembering claims) costs: one Lease GET
    // and one PUT, one uncached LIST
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(lists).as("uncached LISTs for the new incident: %s", lists).hasSize(1);
    soft.assertThat(leaseCalls)
        .as("Lease requests for the new incident: %s", leaseCalls)
        .extracting(FaultDispatcher.Seen::method)
        .containsExactly("GET", "PUT");
    soft.assertAll();
  }

  private void completeAll(int expected) {
    cluster.completeIncidents(expected);
    // a replica whose cache still shows an incident active fails its count write on the changed
    // version and reads it back: that costs RemediationRequest requests, never a Lease request
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> first.app().pendingOwnWrites() == 0 && second.app().pendingOwnWrites() == 0);
  }
}
