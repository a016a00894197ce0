package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Lease create answered 404 (the controller namespace is missing: a real API server lists an
 * absent namespace as empty but refuses to create in it) fails the signal with 503 at once, as a
 * missing namespace does on the incident's create, rather than being retried as a conflict.
 */
class ClaimNotFoundIT {

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
    server.forgetSeen();
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void aClaimThatCannotBeCreatedFailsTheSignalWithoutRetryingItAsAConflict() {
    server.fail("POST", MockCluster.LEASE_PATH, 404, 100);

    HttpResponse<String> response =
        gateway.post(AlertmanagerSource.PATH, Fixtures.bytes("alertmanager/firing-pod.json"));

    List<FaultDispatcher.Seen> calls =
        server.seen().stream()
            .filter(s -> s.query() == null || !s.query().contains("watch"))
            .toList();
    System.out.println(
        "CLAIM-404 "
            + response.statusCode()
            + " "
            + response.body()
            + " "
            + calls.stream()
                .map(s -> s.method() + " " + s.path().substring(s.path().lastIndexOf('/') + 1))
                .toList());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(calls)
        .filteredOn(s -> s.path().startsWith(MockCluster.LEASE_PATH))
        .as("claim requests")
        .extracting(FaultDispatcher.Seen::method)
        .containsExactly("POST");
    assertThat(calls)
        .as("requests for one signal whose claim cannot be created: %s", calls.size())
        .hasSizeLessThanOrEqualTo(4);
  }
}
