package ai.kubernaut.gateway.embedded;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents an in-memory API server advertises, keyed by request path. Resources can
 * be added while it runs, as when a CRD is installed. They are written as plain maps, in the field
 * order of fabric8's discovery model: its builders and serializers cost a noticeable part of the
 * embedded start.
 */
public final class DiscoveryDocuments {

  static final String SERVER_GIT_VERSION = "v1.32.0+kubernaut.embedded";

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

  private record Resource(
      String name,
      String singularName,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> verbs) {

    static Resource namespaced(String name, String singular, String kind, String... shortNames) {
      return new Resource(name, singular, kind, true, List.of(shortNames), VERBS);
    }

    static Resource cluster(String name, String singular, String kind, String... shortNames) {
      return new Resource(name, singular, kind, false, List.of(shortNames), VERBS);
    }

    static Resource statusOf(Resource parent) {
      return new Resource(
          parent.name() + "/status",
          "",
          parent.kind(),
          parent.namespaced(),
          List.of(),
          SUBRESOURCE_VERBS);
    }

    Map<String, Object> toApiResource() {
      Map<String, Object> resource = new LinkedHashMap<>();
      resource.put("kind", kind);
      resource.put("name", name);
      resource.put("namespaced", namespaced);
      if (!shortNames.isEmpty()) {
        resource.put("shortNames", shortNames);
      }
      resource.put("singularName", singularName);
      resource.put("verbs", verbs);
      return resource;
    }
  }

  private record GroupVersion(String group, String version, List<Resource> resources) {

    GroupVersion with(Resource resource) {
      List<Resource> more = new java.util.ArrayList<>(resources);
      more.add(resource);
      return new GroupVersion(group, version, List.copyOf(more));
    }

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    String path() {
      return group.isEmpty() ? "/api/" + version : "/apis/" + groupVersion();
    }

    Map<String, Object> toApiGroup() {
      Map<String, Object> preferred = new LinkedHashMap<>();
      preferred.put("groupVersion", groupVersion());
      preferred.put("version", version);
      Map<String, Object> apiGroup = document("APIGroup");
      apiGroup.put("name", group);
      apiGroup.put("preferredVersion", preferred);
      apiGroup.put("versions", List.of(preferred));
      return apiGroup;
    }
  }

  private static final Resource REMEDIATION_REQUESTS =
      Resource.namespaced("remediationrequests", "remediationrequest", "RemediationRequest", "rr");

  private static final GroupVersion CORE =
      new GroupVersion(
          "",
          "v1",
          List.of(
              Resource.namespaced("pods", "pod", "Pod", "po"),
              Resource.cluster("namespaces", "namespace", "Namespace", "ns"),
              Resource.cluster("nodes", "node", "Node", "no"),
              Resource.namespaced("services", "service", "Service", "svc"),
              Resource.namespaced("events", "event", "Event", "ev"),
              Resource.namespaced("configmaps", "configmap", "ConfigMap", "cm"),
              Resource.namespaced("secrets", "secret", "Secret"),
              Resource.namespaced(
                  "persistentvolumeclaims",
                  "persistentvolumeclaim",
                  "PersistentVolumeClaim",
                  "pvc"),
              Resource.cluster("persistentvolumes", "persistentvolume", "PersistentVolume", "pv")));

  private static final List<GroupVersion> BUILT_IN_GROUPS =
      List.of(
          new GroupVersion(
              "apps",
              "v1",
              List.of(
                  Resource.namespaced("deployments", "deployment", "Deployment", "deploy"),
                  Resource.namespaced("replicasets", "replicaset", "ReplicaSet", "rs"),
                  Resource.namespaced("statefulsets", "statefulset", "StatefulSet", "sts"),
                  Resource.namespaced("daemonsets", "daemonset", "DaemonSet", "ds"))),
          new GroupVersion(
              "batch",
              "v1",
              List.of(
                  Resource.namespaced("jobs", "job", "Job"),
                  Resource.namespaced("cronjobs", "cronjob", "CronJob", "cj"))),
          new GroupVersion(
              "coordination.k8s.io",
              "v1",
              List.of(Resource.namespaced("leases", "lease", "Lease"))),
          new GroupVersion(
              "apiextensions.k8s.io",
              "v1",
              List.of(
                  Resource.cluster(
                      "customresourcedefinitions",
                      "customresourcedefinition",
                      "CustomResourceDefinition",
                      "crd",
                      "crds"))),
          new GroupVersion(
              "kubernaut.ai",
              "v1alpha1",
              List.of(REMEDIATION_REQUESTS, Resource.statusOf(REMEDIATION_REQUESTS))),
          new GroupVersion(
              "autoscaling",
              "v2",
              List.of(
                  Resource.namespaced(
                      "horizontalpodautoscalers",
                      "horizontalpodautoscaler",
                      "HorizontalPodAutoscaler",
                      "hpa"))),
          new GroupVersion(
              "policy",
              "v1",
              List.of(
                  Resource.namespaced(
                      "poddisruptionbudgets",
                      "poddisruptionbudget",
                      "PodDisruptionBudget",
                      "pdb"))));

  private List<GroupVersion> groups = BUILT_IN_GROUPS;
  private Map<String, String> byPath;

  public DiscoveryDocuments() {
    this.byPath = render(CORE, groups);
  }

  /** Advertises one more resource, in a new group version or an existing one. */
  public synchronized void add(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced) {
    Resource resource = new Resource(plural, singular, kind, namespaced, List.of(), VERBS);
    List<GroupVersion> updated = new java.util.ArrayList<>();
    boolean added = false;
    for (GroupVersion gv : groups) {
      if (gv.group().equals(group) && gv.version().equals(version)) {
        updated.add(gv.with(resource));
        added = true;
      } else {
        updated.add(gv);
      }
    }
    if (!added) {
      updated.add(new GroupVersion(group, version, List.of(resource)));
    }
    groups = List.copyOf(updated);
    byPath = render(CORE, groups);
  }

  private static Map<String, String> render(GroupVersion core, List<GroupVersion> groups) {
    Map<String, String> documents = new LinkedHashMap<>();
    documents.put("/version", Serialization.asJson(versionInfo()));
    Map<String, Object> versions = document("APIVersions");
    versions.put("versions", List.of(core.version()));
    documents.put("/api", Serialization.asJson(versions));
    Map<String, Object> groupList = document("APIGroupList");
    groupList.put("groups", groups.stream().map(GroupVersion::toApiGroup).toList());
    documents.put("/apis", Serialization.asJson(groupList));
    documents.put(core.path(), resourceList(core));
    for (GroupVersion groupVersion : groups) {
      documents.put(
          "/apis/" + groupVersion.group(), Serialization.asJson(groupVersion.toApiGroup()));
      documents.put(groupVersion.path(), resourceList(groupVersion));
    }
    return Map.copyOf(documents);
  }

  synchronized Optional<String> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  private static String resourceList(GroupVersion groupVersion) {
    Map<String, Object> list = document("APIResourceList");
    list.put("groupVersion", groupVersion.groupVersion());
    list.put("resources", groupVersion.resources().stream().map(Resource::toApiResource).toList());
    return Serialization.asJson(list);
  }

  private static Map<String, Object> document(String kind) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("apiVersion", "v1");
    document.put("kind", kind);
    return document;
  }

  private static Map<String, String> versionInfo() {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("major", "1");
    info.put("minor", "32");
    info.put("gitVersion", SERVER_GIT_VERSION);
    info.put("gitCommit", "0000000000000000000000000000000000000000");
    info.put("gitTreeState", "clean");
    info.put("buildDate", "2025-01-01T00:00:00Z");
    info.put("goVersion", "go1.23.0");
    info.put("compiler", "gc");
    info.put("platform", "linux/amd64");
    return info;
  }
}
