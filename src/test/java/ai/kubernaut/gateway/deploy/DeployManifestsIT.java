package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the kustomize manifests with {@code kubectl kustomize} and checks the workload against
 * the code: ports against the listeners' defaults, probes against a running gateway's routes, the
 * configuration file against the gateway's loader, the CRD against the generated one. RBAC is
 * checked by {@link DeployRbacIT}.
 */
class DeployManifestsIT {

  private static final GatewayConfig.Server DEFAULTS =
      new ConfigLoader(Map.of(), null).load(Optional.empty()).server();
  private static final Map<String, Integer> LISTENERS =
      Map.of(
          "http", DEFAULTS.listenAddr().port(),
          "health", DEFAULTS.healthAddr().port(),
          "metrics", DEFAULTS.metricsAddr().port());

  private static MockCluster cluster;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(RenderedManifests.kubectl().isPresent(), "kubectl is not on the PATH");
    cluster = MockCluster.start();
    gateway = GatewayHarness.start(cluster, Files.createTempDirectory("deploy-manifests"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
      cluster.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void containerAndServicePortsAreTheListenersTheConfigOpens(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);
    GatewayConfig.Server server = gateway.config().server();
    Service service = gateway.manifests().one(Service.class, "gateway-service");

    assertThat(
            Map.of(
                "http", server.listenAddr().port(),
                "health", server.healthAddr().port(),
                "metrics", server.metricsAddr().port()))
        .isEqualTo(LISTENERS);
    assertThat(gateway.container().getPorts())
        .extracting(p -> Map.entry(p.getName(), p.getContainerPort()))
        .containsExactlyInAnyOrderElementsOf(LISTENERS.entrySet());
    assertThat(service.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort, p -> p.getTargetPort().getStrVal())
        .containsExactlyInAnyOrderElementsOf(
            LISTENERS.entrySet().stream()
                .map(e -> tuple(e.getKey(), e.getValue(), e.getKey()))
                .toList());
    assertThat(gateway.podLabels()).containsAllEntriesOf(service.getSpec().getSelector());
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void probesCallRoutesOfTheHealthListener(String kustomization) {
    Container container = GatewayDeployment.in(kustomization).container();
    HTTPGetAction startup = container.getStartupProbe().getHttpGet();
    HTTPGetAction liveness = container.getLivenessProbe().getHttpGet();
    HTTPGetAction readiness = container.getReadinessProbe().getHttpGet();

    // Liveness must not depend on the Kubernetes API: restarting would not cure an API outage.
    assertThat(liveness.getPath()).isEqualTo("/healthz");
    assertThat(startup.getPath()).isEqualTo("/healthz");
    assertThat(readiness.getPath()).isEqualTo("/readyz");
    for (HTTPGetAction probe : List.of(startup, liveness, readiness)) {
      assertThat(probe.getPort().getStrVal()).isEqualTo("health");
      assertThat(gateway.health(probe.getPath()).statusCode())
          .as("GET %s on a running gateway's health listener", probe.getPath())
          .isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void podAndContainerAreHardened(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);
    PodSecurityContext pod = gateway.pod().getSecurityContext();
    SecurityContext container = gateway.container().getSecurityContext();

    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getRunAsUser()).isPositive();
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(gateway.pod().getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(gateway.container().getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(gateway.container().getResources().getLimits()).containsKey("memory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void mountedConfigIsAcceptedByTheGatewayAndWritesOnlyToWritableVolumes(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);

    GatewayConfig config = gateway.config();

    assertThat(gateway.configFile().configMap()).isEqualTo("gateway-config");
    assertThat(config.identity().controllerNamespace()).isEqualTo(gateway.namespace());
    assertThat(
            gateway.container().getVolumeMounts().stream()
                .filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
                .map(m -> Path.of(m.getMountPath())))
        .as("writable mounts")
        .anyMatch(config.audit().file()::startsWith)
        .contains(Path.of("/tmp"));
    assertThat(gateway.fieldRef("POD_NAME")).hasValue("metadata.name");
    assertThat(gateway.fieldRef("POD_NAMESPACE")).hasValue("metadata.namespace");
    assertThat(gateway.deployment().getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(config.security().cors().allowedOrigins())
        .as("browsers are denied, as by the Helm chart")
        .containsExactly("https://no-browser-clients.invalid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void installingTheGatewayNeverAppliesTheCrd(String kustomization) {
    assertThat(RenderedManifests.of(kustomization).all(CustomResourceDefinition.class))
        .as("kubernaut owns the RemediationRequest CRD")
        .isEmpty();
  }

  @Test
  void theOptInCrdComponentAddsTheCommittedCrd() throws IOException {
    CustomResourceDefinition committed =
        RenderedManifests.SERIALIZATION.unmarshal(
            Files.readString(
                RenderedManifests.PROJECT.resolve(
                    "deploy/crd/remediationrequests.kubernaut.ai.yaml")),
            CustomResourceDefinition.class);

    assertThat(
            RenderedManifests.of("src/test/resources/kustomize/with-crd")
                .all(CustomResourceDefinition.class))
        .containsExactly(committed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void everythingNamespacedIsInTheGatewaysNamespace(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);

    assertThat(gateway.manifests().all(Namespace.class))
        .extracting(n -> n.getMetadata().getName())
        .containsExactly(gateway.namespace());
    assertThat(gateway.manifests().objects())
        .filteredOn(o -> o.getMetadata().getNamespace() != null)
        .extracting(o -> o.getMetadata().getNamespace())
        .containsOnly(gateway.namespace());
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void disruptionBudgetAndNetworkPolicySelectTheGatewayPods(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);
    PodDisruptionBudget budget = gateway.manifests().one(PodDisruptionBudget.class, "gateway");
    NetworkPolicy policy = gateway.manifests().one(NetworkPolicy.class, "gateway");

    assertThat(gateway.podLabels())
        .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels())
        .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    assertThat(budget.getSpec().getMinAvailable().getIntVal())
        .isLessThan(gateway.deployment().getSpec().getReplicas());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    // Every ingress rule names its senders and its port; metrics only on the metrics port.
    assertThat(policy.getSpec().getIngress())
        .allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty())
        .allSatisfy(rule -> assertThat(rule.getPorts()).isNotEmpty())
        .anySatisfy(rule -> assertThat(ports(rule)).containsExactly("http"))
        .anySatisfy(
            rule -> {
              assertThat(ports(rule)).containsExactly("metrics");
              assertThat(rule.getFrom())
                  .allSatisfy(
                      peer ->
                          assertThat(peer.getNamespaceSelector().getMatchLabels())
                              .containsEntry("kubernetes.io/metadata.name", "monitoring"));
            });
  }

  @Test
  void optionalMonitoringScrapesTheMetricsPortAndWatchesTheGatewaysNamespace() {
    GatewayDeployment gateway = GatewayDeployment.in("deploy/overlays/example");
    Service service = gateway.manifests().one(Service.class, "gateway-service");
    GenericKubernetesResource monitor = gateway.manifests().generic("ServiceMonitor").getFirst();
    GenericKubernetesResource rules = gateway.manifests().generic("PrometheusRule").getFirst();

    assertThat(service.getMetadata().getLabels())
        .containsAllEntriesOf(monitor.get("spec", "selector", "matchLabels"));
    assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("metrics");
    assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).contains("metrics");
    assertThat(rules.<String>get("spec", "groups", 0, "rules", 4, "alert"))
        .isEqualTo("KubernautGatewayNoReadyReplicas");
    assertThat(rules.<String>get("spec", "groups", 0, "rules", 4, "expr"))
        .contains("namespace=\"" + gateway.namespace() + "\"")
        .contains("deployment=\"" + gateway.deployment().getMetadata().getName() + "\"");
    assertThat(gateway.manifests().one(ConfigMap.class, "kubernaut-gateway-dashboard").getData())
        .containsKey("kubernaut-gateway-dashboard.json");
  }

  private static List<String> ports(NetworkPolicyIngressRule rule) {
    return rule.getPorts().stream().map(p -> p.getPort().getStrVal()).toList();
  }
}
