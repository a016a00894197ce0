package ai.kubernaut.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiCountsTest {

  @Test
  void classifiesByVerbAndResource() {
    assertThat(
            ApiCounts.classify(
                "GET", "/apis/kubernaut.ai/v1alpha1/namespaces/ns/remediationrequests?limit=500"))
        .isEqualTo("LIST remediationrequests");
    assertThat(ApiCounts.classify("GET", "/api/v1/pods?watch=true&resourceVersion=1"))
        .isEqualTo("WATCH pods");
    assertThat(ApiCounts.classify("GET", "/apis/coordination.k8s.io/v1/namespaces/ns/leases/l"))
        .isEqualTo("GET leases");
    assertThat(
            ApiCounts.classify(
                "PATCH", "/apis/kubernaut.ai/v1alpha1/namespaces/ns/remediationrequests/rr/status"))
        .isEqualTo("PATCH remediationrequests/status");
    assertThat(ApiCounts.classify("GET", "/apis/apps/v1")).isEqualTo("GET discovery");
    assertThat(ApiCounts.classify("GET", "/version")).isEqualTo("GET /version");
  }
}
