package ai.kubernaut.gateway.deploy;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API call the gateway makes, by where it is made. The deploy manifests' RBAC must
 * grant exactly these and nothing more: when the code starts (or stops) calling something, change
 * this list, then the manifests.
 */
final class GatewayApiCalls {

  /** Where a call is made. */
  enum Scope {
    /** Any namespace, or a cluster-scoped resource. */
    CLUSTER,
    /** The namespace RemediationRequests live in. */
    CONTROLLER_NAMESPACE
  }

  /** Calls on one resource ({@code group/resource}, core group empty) with these verbs. */
  record ResourceCall(Scope scope, String group, String resource, Set<String> verbs) {}

  private static final Set<String> GET = Set.of("get");
  private static final Set<String> READ_AND_WATCH = Set.of("get", "list", "watch");

  static final List<ResourceCall> RESOURCE_CALLS =
      List.of(
          // The RemediationRequest store: informer (list+watch), get, list by fingerprint (field
          // selector, label as fallback),
          // create; repeats are a JSON merge patch of the status subresource.
          new ResourceCall(
              Scope.CONTROLLER_NAMESPACE,
              "kubernaut.ai",
              "remediationrequests",
              Set.of("get", "list", "watch", "create")),
          new ResourceCall(
              Scope.CONTROLLER_NAMESPACE,
              "kubernaut.ai",
              "remediationrequests/status",
              Set.of("patch")),
          // A fingerprint's claim on incident numbers, in the Go Gateway's per-fingerprint Lease:
          // read, created the first time, then updated conditionally; never deleted.
          new ResourceCall(
              Scope.CONTROLLER_NAMESPACE,
              "coordination.k8s.io",
              "leases",
              Set.of("get", "create", "update")),
          // Owner resolution and the scope check read workload metadata (get; list pods by a
          // Service's selector) and keep metadata-only informers (list+watch) of these kinds.
          new ResourceCall(Scope.CLUSTER, "", "pods", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "", "services", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "", "nodes", READ_AND_WATCH),
          // Namespaces also answer the readiness check (list limit=1).
          new ResourceCall(Scope.CLUSTER, "", "namespaces", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "apps", "deployments", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "apps", "replicasets", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "apps", "statefulsets", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "apps", "daemonsets", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "batch", "jobs", READ_AND_WATCH),
          new ResourceCall(Scope.CLUSTER, "batch", "cronjobs", READ_AND_WATCH),
          // Kinds an alert may name directly, read one object at a time.
          new ResourceCall(Scope.CLUSTER, "", "persistentvolumeclaims", GET),
          new ResourceCall(Scope.CLUSTER, "", "persistentvolumes", GET),
          new ResourceCall(Scope.CLUSTER, "", "replicationcontrollers", GET),
          new ResourceCall(Scope.CLUSTER, "autoscaling", "horizontalpodautoscalers", GET),
          new ResourceCall(Scope.CLUSTER, "policy", "poddisruptionbudgets", GET),
          // Sender authentication and authorization.
          new ResourceCall(
              Scope.CLUSTER, "authentication.k8s.io", "tokenreviews", Set.of("create")),
          new ResourceCall(
              Scope.CLUSTER, "authorization.k8s.io", "subjectaccessreviews", Set.of("create")));

  /** API discovery: the group and version documents (GET only). */
  static final Set<String> DISCOVERY_URLS = Set.of("/api", "/api/*", "/apis", "/apis/*");

  /** Service account issuer discovery: the issuer and its token signing keys (GET only). */
  static final Set<String> ISSUER_DISCOVERY_URLS =
      Set.of("/.well-known/openid-configuration", "/openid/v1/jwks");

  private GatewayApiCalls() {}
}
