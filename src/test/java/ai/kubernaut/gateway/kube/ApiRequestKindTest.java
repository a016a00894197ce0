package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRequestKindTest {

  @ParameterizedTest(name = "{0} {1} is {2} {3}")
  @CsvSource({
    "GET, /api/v1/namespaces/demo/pods/web-1, get, pods",
    "GET, /api/v1/namespaces/demo/pods, list, pods",
    "GET, /api/v1/pods?limit=500, list, pods",
    "GET, /api/v1/namespaces/demo/pods?watch=true&resourceVersion=7, watch, pods",
    "GET, /api/v1/namespaces, list, namespaces",
    "GET, /api/v1/namespaces/demo, get, namespaces",
    "GET, /apis/apps/v1/namespaces/demo/deployments/web, get, deployments",
    "POST, /apis/kubernaut.ai/v1alpha1/namespaces/ks/remediationrequests, create,"
        + " remediationrequests",
    "PATCH, /apis/kubernaut.ai/v1alpha1/namespaces/ks/remediationrequests/rr-1/status, patch,"
        + " remediationrequests",
    "PUT, /apis/coordination.k8s.io/v1/namespaces/ks/leases/l, update, leases",
    "DELETE, /api/v1/namespaces/demo/pods/web-1, delete, pods",
    "POST, /apis/authentication.k8s.io/v1/tokenreviews, create, tokenreviews",
    "POST, /apis/authorization.k8s.io/v1/subjectaccessreviews, create, subjectaccessreviews",
    "GET, /apis/kubernaut.ai/v1alpha1, get, discovery",
    "GET, /apis, get, discovery",
    "GET, /api/v1, get, discovery",
    "GET, /version, get, discovery",
  })
  void namesVerbAndPluralResourceLikeTheApiServer(
      String method, String uri, String verb, String resource) {
    assertThat(ApiRequestKind.of(method, URI.create(uri)))
        .isEqualTo(new ApiRequestKind(verb, resource));
  }
}
