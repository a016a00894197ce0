package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.AccessReviewResponder;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code auth.audiences}, senders use tokens minted for the gateway, not for the cluster. */
class SenderAudiencesIT {

  static final String AUDIENCE = "kubernaut-gateway";
  static final String SENDER = "system:serviceaccount:monitoring:alertmanager";

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() {
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    cluster.reviews().grantUser(SENDER);
    gateway =
        GatewayHarness.start(
            cluster, dir, "auth:\n  mode: kubernetes\n  audiences: [\"" + AUDIENCE + "\"]\n");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
  }

  @Test
  void aTokenMintedForTheGatewayIsAcceptedAndTheReviewAsksForItsAudience() {
    String token = token(List.of(AUDIENCE));

    HttpResponse<String> response = post(token);

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    assertThat(cluster.reviews().tokenReviews().getLast().path("audiences").toString())
        .isEqualTo("[\"" + AUDIENCE + "\"]");
  }

  @Test
  void aTokenValidOnlyAgainstTheApiServerIsRefused() {
    String token = token(List.of(AccessReviewResponder.API_SERVER_AUDIENCE));

    assertThat(post(token).statusCode()).isEqualTo(401);
  }

  private static String token(List<String> audiences) {
    String token = UUID.randomUUID().toString();
    cluster
        .reviews()
        .token(token, new AccessReviewResponder.User(SENDER, "uid-am", List.of(), audiences));
    return token;
  }

  private static HttpResponse<String> post(String token) {
    byte[] body =
        Fixtures.text("alertmanager/firing-pod.json")
            .replace("Pod is crash looping.", "Pod is crash looping (" + UUID.randomUUID() + ").")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return gateway.post(
        AlertmanagerSource.PATH,
        body,
        Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
  }
}
