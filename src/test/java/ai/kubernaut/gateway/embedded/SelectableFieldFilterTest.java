package ai.kubernaut.gateway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.GatewayHarness;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectableFieldFilterTest {

  static final String LIST =
      "{\"kind\":\"RemediationRequestList\",\"items\":["
          + "{\"metadata\":{\"name\":\"a\"},\"spec\":{\"signalFingerprint\":\"f1\"}},"
          + "{\"metadata\":{\"name\":\"b\"},\"spec\":{\"signalFingerprint\":\"f2\"}},"
          + "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"signalFingerprint\":\"f1\"}}]}";

  final List<String> delegated = new ArrayList<>();

  private MockResponse delegate(RecordedRequest request) {
    delegated.add(request.getPath());
    return new MockResponse().setResponseCode(200).setBody(LIST);
  }

  private static RecordedRequest get(String path) {
    return new RecordedRequest("HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), null);
  }

  @Test
  void aListSelectingOnASpecFieldKeepsOnlyTheItemsWithThatValue() {
    MockResponse answer =
        SelectableFieldFilter.answer(
                get(
                    "/apis/kubernaut.ai/v1alpha1/namespaces/k/remediationrequests"
                        + "?fieldSelector=spec.signalFingerprint%3Df1&limit=500"),
                this::delegate)
            .orElseThrow();

    assertThat(GatewayHarness.parse(answer.getBody().readUtf8()).path("items"))
        .extracting(item -> item.path("metadata").path("name").asText())
        .containsExactly("a", "c");
    assertThat(delegated)
        .containsExactly("/apis/kubernaut.ai/v1alpha1/namespaces/k/remediationrequests?limit=500");
  }

  @Test
  void metadataSelectorsWatchesAndSetBasedSelectorsAreLeftToTheMock() {
    String rrs = "/apis/kubernaut.ai/v1alpha1/namespaces/k/remediationrequests";
    assertThat(
            SelectableFieldFilter.answer(
                get(rrs + "?fieldSelector=metadata.name%3Da"), this::delegate))
        .isEmpty();
    assertThat(
            SelectableFieldFilter.answer(
                get(rrs + "?watch=true&fieldSelector=spec.signalFingerprint%3Df1"), this::delegate))
        .isEmpty();
    assertThat(
            SelectableFieldFilter.answer(
                get(rrs + "?fieldSelector=spec.signalFingerprint%21%3Df1"), this::delegate))
        .isEmpty();
    assertThat(SelectableFieldFilter.answer(get(rrs), this::delegate)).isEmpty();
    assertThat(delegated).isEmpty();
  }
}
