package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryDispatcherTest {

  private final ObjectMapper json = new ObjectMapper();
  private final RecordingDispatcher delegate = new RecordingDispatcher();
  private final DiscoveryDispatcher dispatcher =
      new DiscoveryDispatcher(delegate, new DiscoveryDocuments());

  @Test
  void servesGroupListIgnoringTheQueryString() throws Exception {
    MockResponse response = dispatcher.dispatch(request(HttpMethod.GET, "/apis?timeout=32s"));

    assertThat(response.code()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = json.readTree(response.getBody().readUtf8());
    assertThat(body.path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(body.findValuesAsText("groupVersion"))
        .contains("apps/v1", "kubernaut.ai/v1alpha1", "coordination.k8s.io/v1", "policy/v1");
    assertThat(delegate.paths).isEmpty();
  }

  @Test
  void servesRemediationRequestResourcesWithStatusSubresource() throws Exception {
    MockResponse response =
        dispatcher.dispatch(request(HttpMethod.GET, "/apis/kubernaut.ai/v1alpha1"));

    JsonNode resources = json.readTree(response.getBody().readUtf8()).path("resources");
    assertThat(resources.findValuesAsText("name"))
        .containsExactly("remediationrequests", "remediationrequests/status");
    JsonNode main = resources.get(0);
    assertThat(main.path("singularName").asText()).isEqualTo("remediationrequest");
    assertThat(main.path("kind").asText()).isEqualTo("RemediationRequest");
    assertThat(main.path("namespaced").asBoolean()).isTrue();
    assertThat(main.path("shortNames").get(0).asText()).isEqualTo("rr");
    assertThat(main.path("verbs").toString()).contains("watch", "create");
  }

  @Test
  void marksClusterScopedCoreResources() throws Exception {
    MockResponse response = dispatcher.dispatch(request(HttpMethod.GET, "/api/v1?timeout=32s"));

    JsonNode resources = json.readTree(response.getBody().readUtf8()).path("resources");
    for (JsonNode resource : resources) {
      boolean clusterScoped =
          List.of("namespaces", "nodes", "persistentvolumes")
              .contains(resource.path("name").asText());
      assertThat(resource.path("namespaced").asBoolean())
          .as(resource.path("name").asText())
          .isEqualTo(!clusterScoped);
    }
  }

  @Test
  void delegatesResourceRequestsUnchanged() {
    dispatcher.dispatch(
        request(HttpMethod.GET, "/api/v1/namespaces/demo/pods?labelSelector=app%3Dcheckout"));
    dispatcher.dispatch(request(HttpMethod.GET, "/apis/apps/v1/deployments?watch=true"));
    dispatcher.dispatch(request(HttpMethod.POST, "/apis"));

    assertThat(delegate.paths)
        .containsExactly(
            "/api/v1/namespaces/demo/pods?labelSelector=app%3Dcheckout",
            "/apis/apps/v1/deployments?watch=true", "/apis");
  }

  @Test
  void stripsOnlyWriteOptionsBeforeDelegating() {
    dispatcher.dispatch(
        request(
            HttpMethod.PATCH,
            "/apis/kubernaut.ai/v1alpha1/namespaces/ns/remediationrequests/rr-1/status"
                + "?fieldManager=kubectl-patch"));
    dispatcher.dispatch(
        request(
            HttpMethod.POST,
            "/api/v1/namespaces/demo/configmaps?fieldManager=kubectl-create"
                + "&dryRun=All&fieldValidation=Strict"));

    assertThat(delegate.paths)
        .containsExactly(
            "/apis/kubernaut.ai/v1alpha1/namespaces/ns/remediationrequests/rr-1/status",
            "/api/v1/namespaces/demo/configmaps?dryRun=All");
  }

  @Test
  void labelsDelegatedJsonWithAContentType() {
    MockResponse response =
        dispatcher.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/demo/pods/p"));

    assertThat(response.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void rejectsProtobufBodiesInsteadOfHanging() {
    RecordedRequest protobuf =
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.POST,
            "/api/v1/namespaces/demo/configmaps",
            Headers.builder().add("Content-Type", "application/vnd.kubernetes.protobuf").build(),
            new Buffer(new byte[] {'k', '8', 's', 0}));

    MockResponse response = dispatcher.dispatch(protobuf);

    assertThat(response.code()).isEqualTo(415);
    assertThat(response.getBody().readUtf8()).contains("\"reason\":\"UnsupportedMediaType\"");
    assertThat(delegate.paths).isEmpty();
  }

  @Test
  void answersDelegateFailuresWithAServerError() {
    delegate.failure = new IllegalArgumentException("unparseable body");

    MockResponse response =
        dispatcher.dispatch(request(HttpMethod.POST, "/api/v1/namespaces/demo/configmaps"));

    assertThat(response.code()).isEqualTo(500);
    assertThat(response.getBody().readUtf8()).contains("unparseable body");
  }

  @Test
  void reportsOpenApiAsMissing() {
    MockResponse response = dispatcher.dispatch(request(HttpMethod.GET, "/openapi/v2?timeout=32s"));

    assertThat(response.code()).isEqualTo(404);
    assertThat(delegate.paths).isEmpty();
  }

  private static RecordedRequest request(HttpMethod method, String path) {
    return new RecordedRequest("HTTP/1.1", method, path, Headers.builder().build(), new Buffer());
  }

  private static final class RecordingDispatcher extends Dispatcher {
    private final List<String> paths = new ArrayList<>();
    private RuntimeException failure;

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      paths.add(request.getPath());
      if (failure != null) {
        throw failure;
      }
      return new MockResponse().setResponseCode(200).setBody("{}");
    }
  }
}
