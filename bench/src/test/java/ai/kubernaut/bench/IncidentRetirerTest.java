package ai.kubernaut.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentRetirerTest {

  private static final ResourceDefinitionContext RRS =
      new ResourceDefinitionContext.Builder()
          .withGroup("kubernaut.ai")
          .withVersion("v1alpha1")
          .withKind("RemediationRequest")
          .withPlural("remediationrequests")
          .withNamespaced(true)
          .build();

  /** Kept, so the level set on it stays: the mock logs every request at INFO. */
  private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void startServer() {
    MOCK_LOG.setLevel(Level.WARNING);
    @SuppressWarnings("deprecation")
    KubernetesMockServer crud =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server = crud;
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.destroy();
  }

  @Test
  void deletesOnlyWrittenIncidentsOfTheRecurringNamespace() {
    create("unwritten", BenchCluster.RECURRING_NS, false);
    create("other-namespace", BenchCluster.MANAGED_NS, true);
    try (IncidentRetirer retirer = new IncidentRetirer(client)) {
      retirer.start();
      create("written", BenchCluster.RECURRING_NS, true);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get("written") == null && retirer.retired() == 1);
      assertThat(get("unwritten")).isNotNull();
      assertThat(get("other-namespace")).isNotNull();
    }
  }

  private void create(String name, String targetNamespace, boolean statusWritten) {
    GenericKubernetesResource rr = new GenericKubernetesResource();
    rr.setApiVersion("kubernaut.ai/v1alpha1");
    rr.setKind("RemediationRequest");
    rr.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(BenchCluster.CONTROLLER_NS).build());
    rr.setAdditionalProperty(
        "spec",
        Map.of(
            "targetResource",
            Map.of("kind", "Deployment", "name", "app-0001", "namespace", targetNamespace)));
    if (statusWritten) {
      rr.setAdditionalProperty("status", Map.of("deduplication", Map.of("occurrenceCount", 1)));
    }
    client
        .genericKubernetesResources(RRS)
        .inNamespace(BenchCluster.CONTROLLER_NS)
        .resource(rr)
        .create();
  }

  private GenericKubernetesResource get(String name) {
    return client
        .genericKubernetesResources(RRS)
        .inNamespace(BenchCluster.CONTROLLER_NS)
        .withName(name)
        .get();
  }
}
