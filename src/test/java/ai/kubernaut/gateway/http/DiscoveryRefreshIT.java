package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.app.GatewayApp;
import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.testing.ClusterObjects;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API-resource registry follows discovery while the gateway runs. */
class DiscoveryRefreshIT {

  static final byte[] WIDGET_ALERT =
      SignalPathIT.alert("WidgetDegraded", "{\"namespace\":\"shop\",\"widget\":\"blue\"}");

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("shop");
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    cluster.close();
  }

  @Test
  void aCustomKindInstalledAfterStartIsPickedUpAtTheNextRefresh() {
    gateway = startWithRefresh("200ms");
    assertThat(gateway.post(AlertmanagerSource.PATH, WIDGET_ALERT).statusCode()).isEqualTo(400);

    cluster.discovery().add("widgets.example.com", "v1", "widgets", "widget", "Widget", true);
    new ClusterObjects(cluster.client())
        .custom("widgets.example.com", "v1", "Widget", "widgets", "shop", "blue");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> gateway.post(AlertmanagerSource.PATH, WIDGET_ALERT).statusCode() == 201);
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr -> {
              assertThat(rr.getSpec().getTargetResource().getKind()).isEqualTo("Widget");
              assertThat(rr.getSpec().getTargetResource().getApiVersion())
                  .isEqualTo("widgets.example.com/v1");
            });
  }

  @Test
  void aFailingRefreshKeepsTheLastSnapshotAndIsCounted() {
    cluster.deploymentWithPod("shop", "checkout", Map.of());
    gateway = startWithRefresh("200ms");
    cluster.faults().failExactly("GET", "/api/v1", 503, 1_000_000);
    cluster.faults().failExactly("GET", "/apis", 503, 1_000_000);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> refreshErrors() >= 2);
    HttpResponse<String> response =
        gateway.post(
            AlertmanagerSource.PATH,
            SignalPathIT.alert(
                "Crash", "{\"namespace\":\"shop\",\"pod\":\"checkout-7d9f8b6c5-x2k4p\"}"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(cluster.faults().seen("GET", "/api"))
        .anyMatch(s -> s.path().equals("/api/v1") && s.faulted())
        .anyMatch(s -> s.path().equals("/apis") && s.faulted());
    assertThat(gateway.remediationRequests())
        .singleElement()
        .satisfies(
            rr -> assertThat(rr.getSpec().getTargetResource().getKind()).isEqualTo("Deployment"));
  }

  @Test
  void startFailsNamingTheCauseWhenDiscoveryFindsNothing() throws Exception {
    cluster.faults().fail("GET", "/api", 403, 1_000_000);
    Path config = java.nio.file.Files.writeString(dir.resolve("gateway.yaml"), localConfig(dir));

    assertThatThrownBy(
            () ->
                GatewayApp.start(
                    new ConfigLoader(
                            Map.of("KUBERNAUT_CONTROLLER_NAMESPACE", "kubernaut-system"), null)
                        .load(Optional.of(config)),
                    cluster.newClient(),
                    Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("API discovery found no resources")
        .hasMessageContaining("v1: API server answered 403");
    assertThat(cluster.faults().seen("GET", "/api")).allMatch(FaultDispatcher.Seen::faulted);
  }

  private GatewayHarness startWithRefresh(String interval) {
    return GatewayHarness.start(
        cluster,
        dir,
        """
        kubernetes:
          discoveryRefresh: %s
        """
            .formatted(interval));
  }

  private double refreshErrors() {
    return gateway
        .metrics()
        .body()
        .lines()
        .filter(l -> l.startsWith("gateway_discovery_refresh_errors_total "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  static String localConfig(Path dir) {
    return """
        server:
          listenAddr: "127.0.0.1:0"
          healthAddr: "127.0.0.1:0"
          metricsAddr: "127.0.0.1:0"
        audit:
          file: "%s"
        """
        .formatted(dir.resolve("audit.jsonl"));
  }
}
