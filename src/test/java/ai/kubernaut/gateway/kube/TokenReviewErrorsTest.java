package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A TokenReview's {@code status.error} as API servers write it: transient errors are a 503 the
 * sender retries, definitive ones a cached 401.
 */
class TokenReviewErrorsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[invalid bearer token, Post \"https://authn.example:8443/authenticate\": dial tcp"
            + " 10.0.0.9:8443: connect: connection refused]",
        "Post \"https://authn.example/authenticate\": context deadline exceeded",
        "Post \"https://authn.example/authenticate\": dial tcp: lookup authn.example on"
            + " 10.96.0.10:53: no such host",
        "Post \"https://authn.example/authenticate\": unexpected EOF",
        "Post \"https://authn.example/authenticate\": net/http: TLS handshake timeout",
        "Post \"https://authn.example/authenticate\": read tcp 10.0.0.2:51234->10.0.0.9:8443:"
            + " read: connection reset by peer",
        "etcdserver: request timed out",
        "the server is currently unable to handle the request",
        "Internal error occurred: rate limited",
        "[invalid bearer token, Post \"https://authn.example/authenticate\": context canceled]"
      })
  void anAuthenticatorThatCouldNotDecideIsTransient(String error) {
    assertThat(KubernetesAccessReviews.isTransient(error)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[invalid bearer token, token lookup failed]",
        "[invalid bearer token, square/go-jose/jwt: validation failed, token is expired (exp)]",
        "[invalid bearer token, square/go-jose: error in cryptographic primitive, token lookup"
            + " failed]",
        "[invalid bearer token, service account token has been invalidated]",
        "[invalid bearer token, token audiences [\"api\"] is invalid for the target audiences"
            + " [\"gateway\"]]",
        "[invalid bearer token, pod \"sender-7d9f\" (uid 1234) is not found]",
        "[invalid bearer token, service account kubernaut/noisy has been deleted]",
        // what the token's holder chose, quoted by the server, is not read for markers
        "[invalid bearer token, token audiences [\"connection refused\"] is invalid for the"
            + " target audiences [\"https://kubernetes.default.svc\"]]",
        "[invalid bearer token, serviceaccounts \"etcd-timeout-unavailable\" not found]",
        ""
      })
  void aBadTokenIsDefinitive(String error) {
    assertThat(KubernetesAccessReviews.isTransient(error)).isFalse();
  }
}
