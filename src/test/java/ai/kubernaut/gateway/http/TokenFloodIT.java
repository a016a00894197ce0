package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.security.IssuerKeyPair;
import ai.kubernaut.gateway.testing.AccessReviewResponder;
import ai.kubernaut.gateway.testing.CapturedLogs;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of plausible junk tokens right after a start, when the gateway has approved nobody yet:
 * the junk is refused as a spent review budget (not as an API outage), and a sender whose token the
 * cluster's issuer signed still gets through.
 */
class TokenFloodIT {

  static final String SENDER = "system:serviceaccount:monitoring:alertmanager";

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;
  static CapturedLogs logs;
  static IssuerKeyPair issuer = IssuerKeyPair.rsa("cluster-key-1");

  @BeforeAll
  static void start() {
    logs = new CapturedLogs();
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    cluster.reviews().grantUser(SENDER);
    cluster
        .reviews()
        .issuerDiscovery(IssuerKeyPair.openIdConfiguration(), IssuerKeyPair.jwks(issuer));
    gateway =
        GatewayHarness.start(cluster, dir, "auth:\n  mode: kubernetes\n  reviewsPerSecond: 1\n");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
    logs.close();
  }

  @Test
  void junkSpendsItsOwnBudgetAndASignedTokenStillGetsThrough() {
    String signed = issuer.token(SENDER, Instant.now().plusSeconds(3600));
    cluster.reviews().token(signed, new AccessReviewResponder.User(SENDER, "uid-1", List.of()));

    List<HttpResponse<String>> junk = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      junk.add(post(UUID.randomUUID().toString()));
    }
    HttpResponse<String> refused = junk.getLast();
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.body()).contains("Too many new tokens are waiting for review");
    assertThat(gateway.metrics().body())
        .containsPattern(
            "gateway_auth_review_budget_exhausted_total\\{budget=\"unverified\"} [1-9]");
    String log = String.join("\n", logs.lines());
    assertThat(log).contains("security_event=review_budget_exhausted");
    assertThat(log).doesNotContain("security_event=authentication_unavailable");

    HttpResponse<String> real = post(signed);

    assertThat(real.statusCode()).as(real.body()).isEqualTo(201);
  }

  private static HttpResponse<String> post(String token) {
    return gateway.post(
        AlertmanagerSource.PATH,
        Fixtures.bytes("alertmanager/firing-pod.json"),
        Map.of("Authorization", "Bearer " + token));
  }
}
