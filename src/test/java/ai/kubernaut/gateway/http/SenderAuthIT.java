package ai.kubernaut.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.testing.AccessReviewResponder;
import ai.kubernaut.gateway.testing.CapturedLogs;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens on the signal routes: TokenReview, SubjectAccessReview, caching, outages. */
class SenderAuthIT {

  private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

  @TempDir static Path dir;
  static MockCluster cluster;
  static GatewayHarness gateway;
  static CapturedLogs logs;

  @BeforeAll
  static void start() {
    logs = new CapturedLogs();
    cluster = MockCluster.start();
    cluster.managedNamespace("demo");
    cluster.deploymentWithPod("demo", "checkout", Map.of());
    cluster.reviews().grantUser("system:serviceaccount:monitoring:alertmanager");
    cluster.reviews().grantGroup("system:serviceaccounts:monitoring");
    gateway = GatewayHarness.start(cluster, dir, "auth:\n  mode: kubernetes\n");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    cluster.close();
    logs.close();
  }

  @BeforeEach
  void forget() {
    cluster.faults().clearFaults();
    cluster.faults().forgetSeen();
  }

  @Test
  void missingAuthorizationIs401AboutBlank() {
    HttpResponse<String> response = post(Map.of());

    assertAuthProblem(response, 401, "Unauthorized", "Missing Authorization header");
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
  }

  @Test
  void nonBearerSchemeIs401() {
    assertAuthProblem(
        post(Map.of("Authorization", "Basic dXNlcjpwYXNz")),
        401,
        "Unauthorized",
        "Invalid Authorization header format");
  }

  @Test
  void unknownOrExpiredTokenIs401() {
    assertAuthProblem(
        post(bearer("expired-" + UUID.randomUUID())),
        401,
        "Unauthorized",
        "Invalid or expired token");
  }

  @Test
  void authenticatedSenderWithoutGrantIs403() {
    String token =
        newToken("system:serviceaccount:team-a:intruder", "system:serviceaccounts:team-a");

    assertAuthProblem(post(bearer(token)), 403, "Forbidden", "Insufficient permissions");
  }

  @Test
  void grantedUserCreatesAndIsTheAuditActor() {
    String token = UUID.randomUUID().toString();
    cluster
        .reviews()
        .token(
            token,
            new AccessReviewResponder.User(
                "system:serviceaccount:monitoring:alertmanager", "uid-am", List.of()));

    HttpResponse<String> response = post(bearer(token));

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    assertThat(gateway.auditEvents())
        .anySatisfy(
            e -> {
              assertThat(e.path("actor_type").asText()).isEqualTo("authenticated-service");
              assertThat(e.path("actor_id").asText())
                  .isEqualTo("system:serviceaccount:monitoring:alertmanager");
            });
  }

  @Test
  void groupBindingGrantsAccessBecauseTheReviewCarriesGroupsAndUid() {
    String token =
        newToken("system:serviceaccount:monitoring:vmalert", "system:serviceaccounts:monitoring");

    HttpResponse<String> response = post(bearer(token));

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    JsonNode review = cluster.reviews().accessReviews().getLast();
    assertThat(review.path("user").asText()).isEqualTo("system:serviceaccount:monitoring:vmalert");
    assertThat(review.path("uid").asText())
        .isEqualTo("uid-system:serviceaccount:monitoring:vmalert");
    assertThat(review.path("groups").toString()).contains("system:serviceaccounts:monitoring");
    JsonNode attributes = review.path("resourceAttributes");
    assertThat(attributes.path("verb").asText()).isEqualTo("create");
    assertThat(attributes.path("resource").asText()).isEqualTo("services");
    assertThat(attributes.path("name").asText()).isEqualTo("gateway-service");
    assertThat(attributes.path("namespace").asText()).isEqualTo(MockCluster.CONTROLLER_NAMESPACE);
  }

  @Test
  void steadyStateCostsNoReviewRequests() {
    String token =
        newToken("system:serviceaccount:monitoring:am-2", "system:serviceaccounts:monitoring");

    for (int i = 0; i < 5; i++) {
      assertThat(post(bearer(token)).statusCode()).isIn(201, 202);
    }

    assertThat(cluster.faults().seen("POST", TOKEN_REVIEWS)).hasSize(1);
    assertThat(cluster.faults().seen("POST", ACCESS_REVIEWS)).hasSize(1);
  }

  @Test
  void refusalsAreCachedToo() {
    String invalid = "bogus-" + UUID.randomUUID();
    String denied =
        newToken("system:serviceaccount:team-b:nobody", "system:serviceaccounts:team-b");

    for (int i = 0; i < 3; i++) {
      assertThat(post(bearer(invalid)).statusCode()).isEqualTo(401);
      assertThat(post(bearer(denied)).statusCode()).isEqualTo(403);
    }

    assertThat(cluster.faults().seen("POST", TOKEN_REVIEWS)).hasSize(2);
    assertThat(cluster.faults().seen("POST", ACCESS_REVIEWS)).hasSize(1);
  }

  @Test
  void tokenReviewOutageIs503WithRetryAfterAndIsNotCached() {
    String token =
        newToken("system:serviceaccount:monitoring:am-3", "system:serviceaccounts:monitoring");
    cluster.faults().fail("POST", TOKEN_REVIEWS, 503, 1);

    HttpResponse<String> during = post(bearer(token));

    assertAuthProblem(during, 503, "Service Unavailable", "Authentication service unavailable");
    assertThat(during.headers().firstValue("Retry-After")).contains("5");
    assertThat(cluster.faults().seen("POST", TOKEN_REVIEWS))
        .extracting(FaultDispatcher.Seen::injectedStatus)
        .containsExactly(503);
    assertThat(post(bearer(token)).statusCode()).isIn(201, 202);
  }

  @Test
  void accessReviewOutageIs503() {
    String token =
        newToken("system:serviceaccount:monitoring:am-4", "system:serviceaccounts:monitoring");
    cluster.faults().fail("POST", ACCESS_REVIEWS, 500, 1);

    HttpResponse<String> response = post(bearer(token));

    assertAuthProblem(response, 503, "Service Unavailable", "Authorization service unavailable");
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void impersonationHeadersDoNotChangeTheSender() {
    String token = newToken("system:serviceaccount:team-c:plain", "system:serviceaccounts:team-c");
    Map<String, String> headers = new HashMap<>(bearer(token));
    headers.put("Impersonate-User", "system:serviceaccount:monitoring:alertmanager");
    headers.put("Impersonate-Group", "system:serviceaccounts:monitoring");
    headers.put("X-Auth-Request-User", "system:serviceaccount:monitoring:alertmanager");

    assertAuthProblem(post(headers), 403, "Forbidden", "Insufficient permissions");
    assertThat(logs.lines())
        .anyMatch(l -> l.contains("security_event=identity_headers_ignored"))
        .anyMatch(
            l ->
                l.contains("security_event=authorization_denied")
                    && l.contains("user=system:serviceaccount:team-c:plain"));
  }

  @Test
  void identityHeadersBesideAGrantedTokenActAsTheTokensUserOnly() {
    String token =
        newToken("system:serviceaccount:monitoring:am-6", "system:serviceaccounts:monitoring");
    String impostor = "impostor-" + UUID.randomUUID();
    Map<String, String> headers = new HashMap<>(bearer(token));
    headers.put("Impersonate-User", impostor);
    headers.put("Impersonate-Group", impostor + "-group");
    headers.put("Impersonate-Uid", impostor + "-uid");
    headers.put("Impersonate-Extra-Scopes", impostor + "-scope");
    headers.put("X-Auth-Request-User", impostor + "-proxy");

    HttpResponse<String> response = post(headers);

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    assertThat(response.body()).doesNotContain(impostor);
    assertThat(response.headers().map().toString()).doesNotContain(impostor);
    assertThat(cluster.reviews().accessReviews().getLast().toString())
        .contains("system:serviceaccount:monitoring:am-6")
        .doesNotContain(impostor);
    assertThat(gateway.auditEvents())
        .anySatisfy(
            e ->
                assertThat(e.path("actor_id").asText())
                    .isEqualTo("system:serviceaccount:monitoring:am-6"))
        .allSatisfy(e -> assertThat(e.toString()).doesNotContain(impostor));
    assertThat(logs.lines()).allSatisfy(l -> assertThat(l).doesNotContain(impostor));
  }

  @Test
  void concurrentFirstRequestsWithOneTokenShareOneReview() throws Exception {
    String token =
        newToken("system:serviceaccount:monitoring:am-7", "system:serviceaccounts:monitoring");
    cluster.faults().delay("POST", TOKEN_REVIEWS, java.time.Duration.ofMillis(500), 1);

    List<HttpResponse<String>> responses;
    try (var senders = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        sent.add(senders.submit(() -> post(bearer(token))));
      }
      responses = new java.util.ArrayList<>();
      for (var future : sent) {
        responses.add(future.get());
      }
    }

    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(201, 202));
    assertThat(cluster.faults().seen("POST", TOKEN_REVIEWS)).hasSize(1);
    assertThat(cluster.faults().seen("POST", ACCESS_REVIEWS)).hasSize(1);
  }

  @Test
  void noTokenAppearsInAnyLogLineOrResponse() {
    String secret = "s3cr3t-" + UUID.randomUUID();
    String granted =
        newToken("system:serviceaccount:monitoring:am-5", "system:serviceaccounts:monitoring");
    cluster.faults().fail("POST", TOKEN_REVIEWS, 500, 1);
    List<HttpResponse<String>> responses =
        List.of(
            post(bearer(secret)),
            post(bearer(secret)),
            post(Map.of("Authorization", "Token " + secret)),
            post(bearer(granted)),
            post(bearer(granted)));

    assertThat(responses).allSatisfy(r -> assertThat(r.body()).doesNotContain(secret, granted));
    assertThat(logs.lines())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).doesNotContain(secret, granted));
    assertThat(logs.lines()).anyMatch(l -> l.contains("security_event=invalid_token"));
  }

  @Test
  void proxyHeadersFromAnUntrustedPeerDoNotNameTheClient() {
    post(Map.of("X-Forwarded-For", "203.0.113.66", "X-Real-IP", "203.0.113.67"));

    assertThat(logs.lines())
        .anyMatch(l -> l.contains("security_event=missing_auth_header client=127.0.0.1"))
        .noneMatch(l -> l.contains("203.0.113.66") || l.contains("203.0.113.67"));
  }

  @Test
  void aTransientAuthenticatorErrorIs503AndNotCached() {
    String token =
        newToken("system:serviceaccount:monitoring:am-8", "system:serviceaccounts:monitoring");
    cluster
        .reviews()
        .tokenError(token, "failed to get service account: etcdserver: request timed out");

    HttpResponse<String> first = post(bearer(token));
    HttpResponse<String> second = post(bearer(token));

    assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
    assertThat(first.headers().firstValue("Retry-After")).isPresent();
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(cluster.faults().seen("POST", TOKEN_REVIEWS)).hasSize(2);
  }

  @Test
  void aTokenNoApiServerCouldAcceptIsRefusedWithoutATokenReview() {
    assertAuthProblem(
        post(bearer("x".repeat(10_000))), 401, "Unauthorized", "Invalid or expired token");
    assertAuthProblem(
        post(bearer("{\"not\":\"a token\"}")), 401, "Unauthorized", "Invalid or expired token");

    assertThat(cluster.faults().seen("POST", TOKEN_REVIEWS)).isEmpty();
  }

  @Test
  void aRefusalBeforeTheBodyIsReadClosesTheConnectionInsteadOfReadingTheBody()
      throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.app().apiPort())) {
      socket
          .getOutputStream()
          .write(
              ("POST "
                      + AlertmanagerSource.PATH
                      + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 60000000\r\n\r\n{\"alerts\":[")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      // far below the read timeout the body would be read under
      socket.setSoTimeout(5_000);

      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      try {
        int b;
        while ((b = socket.getInputStream().read()) >= 0) {
          got.write(b);
        }
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError(
            "the connection stayed open after: " + got.toString(StandardCharsets.ISO_8859_1), e);
      }
      String response = got.toString(StandardCharsets.ISO_8859_1);

      assertThat(response).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
    }
  }

  @Test
  void aSecondSenderPostingTheSameBytesIsProcessedAsItselfNotAnsweredFromTheFirstsMemory() {
    String first =
        newToken("system:serviceaccount:monitoring:am-a", "system:serviceaccounts:monitoring");
    String second =
        newToken("system:serviceaccount:monitoring:am-b", "system:serviceaccounts:monitoring");
    Map<String, String> headers = new HashMap<>(bearer(first));
    headers.put("Content-Type", "application/json");
    byte[] body =
        new String(Fixtures.bytes("alertmanager/firing-pod.json"), StandardCharsets.UTF_8)
            .replace("Pod is crash looping.", "Shared body " + UUID.randomUUID())
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> fromFirst = gateway.post(AlertmanagerSource.PATH, body, headers);
    headers.putAll(bearer(second));

    HttpResponse<String> fromSecond = gateway.post(AlertmanagerSource.PATH, body, headers);

    assertThat(fromFirst.statusCode()).isIn(201, 202);
    assertThat(fromSecond.statusCode()).isEqualTo(202);
    assertThat(GatewayHarness.parse(fromSecond.body()).path("metadata").path("count").asInt())
        .isEqualTo(
            GatewayHarness.parse(fromFirst.body()).path("metadata").path("count").asInt(1) + 1);
  }

  private static String newToken(String username, String group) {
    String token = UUID.randomUUID().toString();
    cluster
        .reviews()
        .token(token, new AccessReviewResponder.User(username, "uid-" + username, List.of(group)));
    return token;
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> post(Map<String, String> auth) {
    Map<String, String> headers = new HashMap<>(auth);
    headers.put("Content-Type", "application/json");
    // A distinct body per request: a byte-identical redelivery would be answered from memory.
    String body =
        new String(Fixtures.bytes("alertmanager/firing-pod.json"), StandardCharsets.UTF_8)
            .replace("Pod is crash looping.", "Pod is crash looping (" + UUID.randomUUID() + ").");
    return gateway.post(AlertmanagerSource.PATH, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static void assertAuthProblem(
      HttpResponse<String> response, int status, String title, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode body = GatewayHarness.parse(response.body());
    assertThat(body.path("type").asText()).isEqualTo("about:blank");
    assertThat(body.path("title").asText()).isEqualTo(title);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("detail").asText()).isEqualTo(detail);
    assertThat(body.has("instance")).isFalse();
    assertThat(body.has("request_id")).isFalse();
    assertThat(response.headers().firstValue("X-Request-ID")).isPresent();
  }
}
