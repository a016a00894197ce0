package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.testing.MockCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the lookup remembers about kinds the gateway may not read, against the mock API server. */
class MetadataLookupIT {

  static final String CONFIG_MAPS = "/api/v1/namespaces/shop/configmaps/";

  MockCluster cluster;
  KubernetesClient client;
  MetadataCaches caches;
  DiscoveredResourceKinds kinds;
  MetadataLookup lookup;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.newClient();
    cluster.managedNamespace("shop");
    caches = new MetadataCaches(client);
    kinds = new DiscoveredResourceKinds(client, Duration.ofHours(1), () -> {});
    kinds.start();
    ApiCalls calls =
        new ApiCalls(
            new GatewayConfig.Retry(2, Duration.ofMillis(10), Duration.ofMillis(20)),
            Duration.ofSeconds(5),
            new WriteCircuitBreaker(Clock.systemUTC(), state -> {}));
    lookup = new MetadataLookup(caches, new ObjectReader(client, calls));
    kinds.onRefresh(lookup::forgetUnreadable);
  }

  @AfterEach
  void stop() {
    kinds.close();
    caches.close();
    client.close();
    cluster.close();
  }

  @Test
  void aForbiddenKindIsAskedOnceAndAgainOnlyAfterADiscoveryRefresh() {
    cluster.faults().fail("GET", CONFIG_MAPS, 403, 100);
    ResourceKind configMaps = kinds.forKind("ConfigMap").orElseThrow();

    assertThatThrownBy(() -> lookup.find(configMaps, "shop", "app-config"))
        .isInstanceOf(NotReadableException.class)
        .hasMessageContaining("configmaps in namespace shop");
    assertThatThrownBy(() -> lookup.find(configMaps, "shop", "other-config"))
        .isInstanceOf(NotReadableException.class);
    assertThat(cluster.faults().seen("GET", CONFIG_MAPS)).hasSize(1);

    assertThat(kinds.refresh()).isTrue();
    assertThatThrownBy(() -> lookup.find(configMaps, "shop", "app-config"))
        .isInstanceOf(NotReadableException.class);
    assertThat(cluster.faults().seen("GET", CONFIG_MAPS)).hasSize(2);
  }

  @Test
  void aForbiddenAnswerInOneNamespaceSaysNothingAboutAnother() {
    cluster.faults().fail("GET", CONFIG_MAPS, 403, 100);
    ResourceKind configMaps = kinds.forKind("ConfigMap").orElseThrow();

    assertThatThrownBy(() -> lookup.find(configMaps, "shop", "app-config"))
        .isInstanceOf(NotReadableException.class);

    assertThat(lookup.find(configMaps, "billing", "app-config")).isEmpty();
  }

  @Test
  void notFoundIsNeverRemembered() {
    ResourceKind configMaps = kinds.forKind("ConfigMap").orElseThrow();

    assertThat(lookup.find(configMaps, "shop", "late-config")).isEmpty();
    client
        .configMaps()
        .inNamespace("shop")
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("late-config")
                .endMetadata()
                .build())
        .create();

    assertThat(lookup.find(configMaps, "shop", "late-config")).isPresent();
  }
}
