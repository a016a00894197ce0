package ai.kubernaut.gateway.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.ServiceAccountIssuerDiscovery;
import ai.kubernaut.gateway.security.IssuerKeys;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sender authentication with the real TokenReview, SubjectAccessReview and RBAC: static tokens
 * bound by user and by group, unknown tokens, unbound users, and ServiceAccount tokens minted
 * through the TokenRequest API as {@code kubectl create token} and the kubelet's projected volumes
 * mint them.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SenderAuthRealIT {

  static final Path SIGNAL_SOURCE_RBAC = Path.of("deploy", "base", "signal-source-rbac.yaml");

  RealApiServer server;
  String controllerNamespace;
  String ns;
  String monitoring;
  String pod;
  GatewayHarness gateway;

  @BeforeAll
  void start(RealApiServer server) throws Exception {
    this.server = server;
    controllerNamespace = server.newControllerNamespace("kubernaut");
    ns = server.newNamespace("shop", Map.of("kubernaut.ai/managed", "true"));
    monitoring = server.newNamespace("monitoring", Map.of());
    pod = new Workloads(server.admin()).deploymentWithPod(ns, "checkout", Map.of());
    installSignalSourceRole();
    bind("sender-by-name", subject("User", "sender-by-name", null));
    bind("signal-sources-group", subject("Group", "kubernaut:signal-sources", null));
    for (String sa : List.of("alertmanager", "vmalert")) {
      server
          .admin()
          .serviceAccounts()
          .inNamespace(monitoring)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(sa).endMetadata().build())
          .create();
    }
    bind("alertmanager-sa", subject("ServiceAccount", "alertmanager", monitoring));
    gateway =
        RealGateways.start(
            server,
            controllerNamespace,
            Files.createTempDirectory("sender-auth-real"),
            "auth:\n  mode: kubernetes\n");
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aUserBoundByNameIsAcceptedAndIsTheAuditActor() {
    HttpResponse<String> response = post(server.token("sender-by-name"));

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    assertThat(gateway.auditEvents())
        .anySatisfy(
            e -> {
              assertThat(e.path("actor_type").asText()).isEqualTo("authenticated-service");
              assertThat(e.path("actor_id").asText()).isEqualTo("sender-by-name");
            });
  }

  /**
   * The gateway forwards the sender's groups in its SubjectAccessReview, so a binding to a group
   * grants access on a real server.
   */
  @Test
  void aUserBoundThroughItsGroupIsAccepted() {
    HttpResponse<String> response = post(server.token("sender-in-group"));

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
  }

  @Test
  void aTokenTheServerDoesNotKnowIs401() {
    HttpResponse<String> response = post("not-a-token-" + UUID.randomUUID());

    assertProblem(response, 401, "Invalid or expired token");
  }

  @Test
  void anAuthenticatedUserWithoutABindingIs403() {
    HttpResponse<String> response = post(server.token("sender-unbound"));

    assertProblem(response, 403, "Insufficient permissions");
  }

  /** What {@code kubectl create token alertmanager -n monitoring} hands out. */
  @Test
  void aServiceAccountTokenWithTheServersDefaultAudienceIsAccepted() {
    String token = mint("alertmanager", List.of(), null);

    HttpResponse<String> response = post(token);

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
    assertThat(gateway.auditEvents())
        .anySatisfy(
            e ->
                assertThat(e.path("actor_id").asText())
                    .isEqualTo("system:serviceaccount:" + monitoring + ":alertmanager"));
  }

  /**
   * A projected token bound to the sender's pod, as the kubelet mounts it for Alertmanager (a
   * serviceAccountToken volume without an audience gets the API server's).
   */
  @Test
  void aPodBoundServiceAccountTokenWithTheDefaultAudienceIsAccepted() {
    Pod senderPod =
        server
            .admin()
            .pods()
            .inNamespace(monitoring)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("alertmanager-main-0")
                    .endMetadata()
                    .withNewSpec()
                    .withServiceAccountName("alertmanager")
                    .addNewContainer()
                    .withName("alertmanager")
                    .withImage("quay.io/prometheus/alertmanager:v0.28.1")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    String token = mint("alertmanager", List.of(), senderPod);

    HttpResponse<String> response = post(token);

    assertThat(response.statusCode()).as(response.body()).isIn(201, 202);
  }

  /**
   * The gateway's TokenReview names no audience, so the API server checks the token against its own
   * audiences: a token minted for a custom audience (a projected volume with {@code audience:
   * kubernaut-gateway}) is refused as unauthenticated.
   */
  @Test
  void aServiceAccountTokenForACustomAudienceIsRefusedAs401() {
    String token = mint("alertmanager", List.of("kubernaut-gateway"), null);

    HttpResponse<String> response = post(token);

    assertProblem(response, 401, "Invalid or expired token");
  }

  @Test
  void aServiceAccountWithoutABindingIs403() {
    HttpResponse<String> response = post(mint("vmalert", List.of(), null));

    assertProblem(response, 403, "Insufficient permissions");
  }

  @Test
  void tokensTheApiServerMintsAreRecognisedAsSignedByItsIssuer() {
    String token = mint("alertmanager", List.of(), null);
    IssuerKeys keys =
        new IssuerKeys(
            new ServiceAccountIssuerDiscovery(server.admin()),
            java.time.Clock.systemUTC(),
            java.time.Duration.ofSeconds(30));

    assertThat(keys.signedAndUnexpired(token)).isTrue();
    String[] parts = token.split("\\.");
    String otherSignature = mint("vmalert", List.of(), null).split("\\.")[2];
    assertThat(keys.signedAndUnexpired(parts[0] + "." + parts[1] + "." + otherSignature))
        .as("claims under another token's signature")
        .isFalse();
  }

  private String mint(String serviceAccount, List<String> audiences, Pod boundTo) {
    TokenRequestBuilder request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(audiences)
            .withExpirationSeconds(600L)
            .endSpec();
    if (boundTo != null) {
      request
          .editSpec()
          .withNewBoundObjectRef()
          .withApiVersion("v1")
          .withKind("Pod")
          .withName(boundTo.getMetadata().getName())
          .withUid(boundTo.getMetadata().getUid())
          .endBoundObjectRef()
          .endSpec();
    }
    TokenRequest minted =
        server
            .admin()
            .serviceAccounts()
            .inNamespace(monitoring)
            .withName(serviceAccount)
            .tokenRequest(request.build());
    String token = minted.getStatus().getToken();
    assertThat(audienceOf(token))
        .isEqualTo(audiences.isEmpty() ? List.of(server.url().replaceAll("/$", "")) : audiences);
    return token;
  }

  private static List<String> audienceOf(String jwt) {
    JsonNode claims =
        GatewayHarness.parse(
            new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    List<String> audiences = new java.util.ArrayList<>();
    claims.path("aud").forEach(a -> audiences.add(a.asText()));
    return audiences;
  }

  private HttpResponse<String> post(String token) {
    return gateway.post(
        AlertmanagerSource.PATH,
        Alerts.webhook("KubePodCrashLooping", Map.of("namespace", ns, "pod", pod))
            .getBytes(StandardCharsets.UTF_8),
        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token));
  }

  private void installSignalSourceRole() throws Exception {
    try (InputStream in = Files.newInputStream(SIGNAL_SOURCE_RBAC)) {
      for (var item : server.admin().load(in).items()) {
        if (item instanceof ClusterRole role
            && server.admin().rbac().clusterRoles().withName(role.getMetadata().getName()).get()
                == null) {
          server.admin().rbac().clusterRoles().resource(role).create();
        }
      }
    }
  }

  private void bind(String name, io.fabric8.kubernetes.api.model.rbac.Subject subject) {
    server
        .admin()
        .rbac()
        .roleBindings()
        .inNamespace(controllerNamespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName("gateway-signal-source")
                .endRoleRef()
                .withSubjects(subject)
                .build())
        .create();
  }

  private static io.fabric8.kubernetes.api.model.rbac.Subject subject(
      String kind, String name, String namespace) {
    return new SubjectBuilder()
        .withKind(kind)
        .withName(name)
        .withNamespace(namespace)
        .withApiGroup(kind.equals("ServiceAccount") ? "" : "rbac.authorization.k8s.io")
        .build();
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(GatewayHarness.parse(response.body()).path("detail").asText()).isEqualTo(detail);
  }
}
