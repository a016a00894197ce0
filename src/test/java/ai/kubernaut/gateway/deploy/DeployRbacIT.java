package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered RBAC against the Kubernetes API calls the gateway makes ({@link GatewayApiCalls}):
 * all of them, and nothing more.
 */
class DeployRbacIT {

  private static final String SIGNAL_SOURCE_ROLE = "gateway-signal-source";

  @BeforeAll
  static void requireKubectl() {
    assumeTrue(RenderedManifests.kubectl().isPresent(), "kubectl is not on the PATH");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void theGatewaysServiceAccountIsGrantedExactlyTheCallsTheCodeMakes(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);

    assertThat(
            RbacGrants.grantedTo(
                gateway.manifests(), gateway.namespace(), gateway.pod().getServiceAccountName()))
        .containsExactlyInAnyOrderElementsOf(
            RbacGrants.needed(gateway.config().identity().controllerNamespace()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void everyRoleIsTheGatewaysOrTheSignalSourceRole(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);
    List<String> boundToGateway =
        Stream.concat(
                gateway.manifests().all(ClusterRoleBinding.class).stream()
                    .filter(b -> !b.getRoleRef().getName().equals(SIGNAL_SOURCE_ROLE))
                    .flatMap(b -> b.getSubjects().stream()),
                gateway.manifests().all(RoleBinding.class).stream()
                    .flatMap(b -> b.getSubjects().stream()))
            .map(s -> s.getKind() + " " + s.getNamespace() + "/" + s.getName())
            .distinct()
            .toList();

    assertThat(boundToGateway)
        .containsExactly(
            "ServiceAccount " + gateway.namespace() + "/" + gateway.pod().getServiceAccountName());
    assertThat(
            Stream.concat(
                gateway.manifests().all(ClusterRole.class).stream(),
                gateway.manifests().all(Role.class).stream()))
        .allSatisfy(
            role ->
                assertThat(bound(gateway.manifests(), role.getMetadata().getName()))
                    .as("%s is bound", role.getMetadata().getName())
                    .isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void everyControllerOnAPodsOwnerChainCanBeRead(String kustomization) {
    GatewayDeployment gateway = GatewayDeployment.in(kustomization);
    var granted =
        RbacGrants.grantedTo(
            gateway.manifests(), gateway.namespace(), gateway.pod().getServiceAccountName());

    // an owner the gateway may not read ends the chain: an OpenShift DeploymentConfig's pods would
    // resolve to the ReplicationController of one rollout, a new incident on every rollout
    assertThat(granted)
        .contains(
            RbacGrants.grant(RbacGrants.CLUSTER, "", "replicationcontrollers", "get"),
            RbacGrants.grant(RbacGrants.CLUSTER, "apps", "replicasets", "get"),
            RbacGrants.grant(RbacGrants.CLUSTER, "apps", "deployments", "get"),
            RbacGrants.grant(RbacGrants.CLUSTER, "apps", "statefulsets", "get"),
            RbacGrants.grant(RbacGrants.CLUSTER, "apps", "daemonsets", "get"),
            RbacGrants.grant(RbacGrants.CLUSTER, "batch", "jobs", "get"),
            RbacGrants.grant(RbacGrants.CLUSTER, "batch", "cronjobs", "get"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void noRuleUsesWildcardsOrTouchesSecrets(String kustomization) {
    List<PolicyRule> rules = RbacGrants.allRules(RenderedManifests.of(kustomization));

    assertThat(rules).isNotEmpty();
    for (PolicyRule rule : rules) {
      assertThat(rule.getVerbs()).as("verbs of %s", rule).doesNotContain("*");
      assertThat(rule.getApiGroups()).as("groups of %s", rule).doesNotContain("*");
      assertThat(rule.getResources())
          .as("resources of %s", rule)
          .noneMatch(r -> r.contains("*"))
          .doesNotContain("secrets");
      assertThat(rule.getNonResourceURLs()).as("URLs of %s", rule).doesNotContain("*");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/base", "deploy/overlays/example"})
  void signalSourcesMayOnlyCreateTheGatewayServiceAndAreBoundByServiceAccount(
      String kustomization) {
    RenderedManifests manifests = RenderedManifests.of(kustomization);
    Service service = manifests.one(Service.class, "gateway-service");

    assertThat(manifests.one(ClusterRole.class, SIGNAL_SOURCE_ROLE).getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("");
              assertThat(rule.getResources()).containsExactly("services");
              assertThat(rule.getResourceNames()).containsExactly(service.getMetadata().getName());
              assertThat(rule.getVerbs()).containsExactly("create");
            });
    List<Subject> sources =
        manifests.all(ClusterRoleBinding.class).stream()
            .filter(b -> b.getRoleRef().getName().equals(SIGNAL_SOURCE_ROLE))
            .flatMap(b -> b.getSubjects().stream())
            .toList();
    // The gateway's SubjectAccessReview carries the sender's user name only, never its groups.
    assertThat(sources)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.getKind()).isEqualTo("ServiceAccount"))
        .allSatisfy(s -> assertThat(s.getNamespace()).isNotBlank());
  }

  private static boolean bound(RenderedManifests manifests, String roleName) {
    return Stream.concat(
            manifests.all(ClusterRoleBinding.class).stream().map(b -> b.getRoleRef().getName()),
            manifests.all(RoleBinding.class).stream().map(b -> b.getRoleRef().getName()))
        .anyMatch(roleName::equals);
  }
}
