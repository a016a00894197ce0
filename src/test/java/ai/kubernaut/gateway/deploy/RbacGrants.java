package ai.kubernaut.gateway.deploy;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Flattens RBAC into single permissions ({@code where: group/resource verb}) so that what the
 * manifests grant and what the code calls can be compared as two sets.
 */
final class RbacGrants {

  static final String CLUSTER = "cluster";

  private RbacGrants() {}

  static String namespace(String namespace) {
    return "namespace " + namespace;
  }

  /** One permission; {@code resourceNames} narrow it when present. */
  static String grant(String where, String group, String resource, String verb) {
    return where + ": " + (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb;
  }

  static String nonResource(String url, String verb) {
    return CLUSTER + ": " + url + " " + verb;
  }

  /** Everything the rendered bindings grant the ServiceAccount {@code namespace/name}. */
  static Set<String> grantedTo(RenderedManifests manifests, String namespace, String name) {
    Set<String> granted = new TreeSet<>();
    for (ClusterRoleBinding binding : manifests.all(ClusterRoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, name)) {
        granted.addAll(flatten(CLUSTER, rulesOf(manifests, binding.getRoleRef(), ""), true));
      }
    }
    for (RoleBinding binding : manifests.all(RoleBinding.class)) {
      if (binds(binding.getSubjects(), namespace, name)) {
        String bindingNamespace = binding.getMetadata().getNamespace();
        granted.addAll(
            flatten(
                namespace(bindingNamespace),
                rulesOf(manifests, binding.getRoleRef(), bindingNamespace),
                false));
      }
    }
    return granted;
  }

  /** The permissions the code's calls need, with the scopes resolved to namespaces. */
  static Set<String> needed(String controllerNamespace) {
    Map<GatewayApiCalls.Scope, String> where =
        Map.of(
            GatewayApiCalls.Scope.CLUSTER,
            CLUSTER,
            GatewayApiCalls.Scope.CONTROLLER_NAMESPACE,
            namespace(controllerNamespace));
    Set<String> needed = new TreeSet<>();
    for (GatewayApiCalls.ResourceCall call : GatewayApiCalls.RESOURCE_CALLS) {
      for (String verb : call.verbs()) {
        needed.add(grant(where.get(call.scope()), call.group(), call.resource(), verb));
      }
    }
    GatewayApiCalls.DISCOVERY_URLS.forEach(url -> needed.add(nonResource(url, "get")));
    GatewayApiCalls.ISSUER_DISCOVERY_URLS.forEach(url -> needed.add(nonResource(url, "get")));
    return needed;
  }

  /** Every rule of every Role and ClusterRole in the render. */
  static List<PolicyRule> allRules(RenderedManifests manifests) {
    return java.util.stream.Stream.concat(
            manifests.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
            manifests.all(Role.class).stream().flatMap(r -> r.getRules().stream()))
        .toList();
  }

  private static boolean binds(List<Subject> subjects, String namespace, String name) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    s.getKind().equals("ServiceAccount")
                        && s.getName().equals(name)
                        && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rulesOf(
      RenderedManifests manifests, RoleRef ref, String bindingNamespace) {
    if (ref.getKind().equals("ClusterRole")) {
      return manifests.one(ClusterRole.class, ref.getName()).getRules();
    }
    Role role = manifests.one(Role.class, ref.getName());
    if (!bindingNamespace.equals(role.getMetadata().getNamespace())) {
      throw new AssertionError("RoleBinding in " + bindingNamespace + " names Role " + role);
    }
    return role.getRules();
  }

  private static Set<String> flatten(String where, List<PolicyRule> rules, boolean cluster) {
    Set<String> flat = new TreeSet<>();
    for (PolicyRule rule : rules) {
      String narrowed =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? ""
              : " names " + rule.getResourceNames();
      for (String verb : rule.getVerbs()) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            flat.add(grant(where, group, resource, verb) + narrowed);
          }
        }
        if (cluster) {
          rule.getNonResourceURLs().forEach(url -> flat.add(nonResource(url, verb)));
        }
      }
    }
    return flat;
  }
}
