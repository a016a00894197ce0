package ai.kubernaut.gateway.testing;

import ai.kubernaut.gateway.embedded.DiscoveryDispatcher;
import ai.kubernaut.gateway.embedded.DiscoveryDocuments;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.awaitility.Awaitility;

/**
 * fabric8's mock API server in CRUD mode over HTTP, with the RemediationRequest CRD registered (for
 * real status-subresource semantics), client retries off, and a fault-injecting front.
 */
public final class MockCluster implements AutoCloseable {

  public static final String CONTROLLER_NAMESPACE = "kubernaut-system";

  /** Where the gateway keeps its RemediationRequests on the mock, as a request path. */
  public static final String RR_PATH =
      "/apis/kubernaut.ai/v1alpha1/namespaces/" + CONTROLLER_NAMESPACE + "/remediationrequests";

  /** Where the gateway keeps its incident claims on the mock, as a request path. */
  public static final String LEASE_PATH =
      "/apis/coordination.k8s.io/v1/namespaces/" + CONTROLLER_NAMESPACE + "/leases";

  public static final String CRD_RESOURCE =
      "/META-INF/kubernaut/remediationrequests.kubernaut.ai.yaml";

  /** Held so the logger keeps its level: the mock logs every request at INFO through JUL. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final DiscoveryDocuments discovery = new DiscoveryDocuments();
  private final FaultDispatcher faults;
  private final AccessReviewResponder reviews;
  private final KubernetesClient client;

  private MockCluster() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    this.reviews = new AccessReviewResponder(new KubernetesMixedDispatcher(responses));
    this.faults = new FaultDispatcher(new DiscoveryDispatcher(reviews, discovery));
    this.server =
        new KubernetesMockServer(
            new Context(fabric8Mapper()), new MockWebServer(), responses, faults, false);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
    } catch (Exception e) {
      throw new IllegalStateException("mock API server did not start", e);
    }
    this.client = newClient();
    registerCrd();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(CONTROLLER_NAMESPACE)
                .endMetadata()
                .build())
        .create();
    faults.forgetSeen();
  }

  public static MockCluster start() {
    return new MockCluster();
  }

  /** A fresh client with request retries off, so injected faults are visible. */
  public KubernetesClient newClient() {
    return server.createClient(
        b ->
            b.editOrNewConfig()
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout(5_000)
                .endConfig());
  }

  public KubernetesClient client() {
    return client;
  }

  /** Tokens, users and grants for TokenReviews and SubjectAccessReviews. */
  public AccessReviewResponder reviews() {
    return reviews;
  }

  public FaultDispatcher faults() {
    return faults;
  }

  /** The discovery documents the server advertises; add to them as a CRD install would. */
  public DiscoveryDocuments discovery() {
    return discovery;
  }

  public void namespace(String name, Map<String, String> labels) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  public void managedNamespace(String name) {
    namespace(name, Map.of("kubernaut.ai/managed", "true"));
  }

  /** A Deployment with a ReplicaSet and a Pod owned through controller references. */
  public String deploymentWithPod(
      String namespace, String name, Map<String, String> deploymentLabels) {
    Deployment deployment =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(deploymentLabels)
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", name)
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("app")
                    .withImage("nginx")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    String rsName = name + "-7d9f8b6c5";
    ReplicaSet rs =
        client
            .apps()
            .replicaSets()
            .inNamespace(namespace)
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName(rsName)
                    .withOwnerReferences(
                        controller("apps/v1", "Deployment", deployment.getMetadata()))
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", name)
                    .endSelector()
                    .endSpec()
                    .build())
            .create();
    String podName = rsName + "-x2k4p";
    new ClusterObjects(client)
        .pod(
            namespace,
            podName,
            Map.of("app", name),
            controller("apps/v1", "ReplicaSet", rs.getMetadata()));
    return podName;
  }

  public void service(String namespace, String name, Map<String, String> selector) {
    client
        .services()
        .inNamespace(namespace)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withSelector(selector)
                .endSpec()
                .build())
        .create();
  }

  public static OwnerReference controller(String apiVersion, String kind, ObjectMeta owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(owner.getName())
        .withUid(owner.getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private void registerCrd() {
    try (InputStream in = MockCluster.class.getResourceAsStream(CRD_RESOURCE)) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the controller namespace lists {@code expected} RemediationRequests, then marks
   * every one Completed, as a remediation controller would.
   */
  public void completeIncidents(int expected) {
    var incidents = client.resources(RemediationRequest.class).inNamespace(CONTROLLER_NAMESPACE);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> incidents.list().getItems().size() == expected);
    for (RemediationRequest rr : incidents.list().getItems()) {
      incidents
          .withName(rr.getMetadata().getName())
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"status\":{\"overallPhase\":\"Completed\"}}");
    }
  }

  @SuppressWarnings("deprecation")
  private static com.fasterxml.jackson.databind.ObjectMapper fabric8Mapper() {
    // The mock server's own constructors use this mapper; there is no other way to obtain it.
    return Serialization.jsonMapper();
  }

  @Override
  public void close() {
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // The mock waits up to 10 s for its connections to drain and then gives up; a watch a client
      // closed a moment ago can still be draining. The test's assertions have already run.
      System.err.println("mock API server did not stop cleanly: " + e.getMessage());
    }
  }
}
