package ai.kubernaut.gateway.embedded;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Kubernetes discovery documents (what kubectl and the gateway's resource registry read) and
 * kubectl's Table views of custom resources in front of the fabric8 mock dispatcher, which would
 * otherwise answer them with stored objects.
 */
public final class DiscoveryDispatcher extends Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(DiscoveryDispatcher.class);

  /**
   * Write options the mock does not understand. Left in place they break its {@code /status} suffix
   * check, so a status patch from kubectl would silently update nothing.
   */
  private static final Set<String> IGNORED_WRITE_PARAMETERS =
      Set.of("fieldManager", "fieldValidation");

  private static final String CONTENT_TYPE = "Content-Type";
  private static final String JSON = "application/json";

  private final Dispatcher delegate;
  private final DiscoveryDocuments documents;
  private final CustomResourceTables tables = new CustomResourceTables(Clock.systemUTC());

  public DiscoveryDispatcher(Dispatcher delegate, DiscoveryDocuments documents) {
    this.delegate = delegate;
    this.documents = documents;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (request.method() == HttpMethod.GET) {
      String path = pathOnly(request.getPath());
      if (path.startsWith("/openapi/")) {
        return new MockResponse().setResponseCode(404);
      }
      Optional<String> document = documents.find(path);
      if (document.isPresent()) {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader(CONTENT_TYPE, JSON)
            .setBody(document.get());
      }
    }
    String contentType = request.getHeader(CONTENT_TYPE);
    if (contentType != null && contentType.contains("protobuf")) {
      return status(
          415,
          "UnsupportedMediaType",
          "the embedded API accepts JSON only; kubectl's typed create commands send protobuf,"
              + " use kubectl create -f <file> --validate=false instead");
    }
    try {
      if (CustomResourceTables.wanted(request)) {
        Optional<MockResponse> table =
            tables.answer(withoutIgnoredParameters(request), delegate::dispatch);
        if (table.isPresent()) {
          return withJsonContentType(table.get());
        }
      }
      Optional<MockResponse> selected =
          SelectableFieldFilter.answer(withoutIgnoredParameters(request), delegate::dispatch);
      if (selected.isPresent()) {
        return withJsonContentType(selected.get());
      }
      return withJsonContentType(delegate.dispatch(withoutIgnoredParameters(request)));
    } catch (RuntimeException e) {
      // an exception escaping the dispatcher leaves the connection open without a response
      log.warn("Embedded API failed on {}", request, e);
      return status(500, "InternalError", String.valueOf(e.getMessage()));
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }

  /**
   * The mock sends JSON without a content type; kubectl's typed clients then assume protobuf and
   * fail, for example in {@code kubectl describe pod}.
   */
  private static MockResponse withJsonContentType(MockResponse response) {
    boolean hasBody = response.getBody() != null && response.getBody().size() > 0;
    if (hasBody
        && response.getWebSocketListener() == null
        && response.header(CONTENT_TYPE) == null) {
      response.setHeader(CONTENT_TYPE, JSON);
    }
    return response;
  }

  private static MockResponse status(int code, String reason, String message) {
    Status status =
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .build();
    return new MockResponse()
        .setResponseCode(code)
        .setHeader(CONTENT_TYPE, JSON)
        .setBody(Serialization.asJson(status));
  }

  static String pathOnly(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  static String stripIgnoredParameters(String path) {
    int query = path.indexOf('?');
    if (query < 0) {
      return path;
    }
    String kept =
        Arrays.stream(path.substring(query + 1).split("&"))
            .filter(parameter -> !parameter.isEmpty())
            .filter(parameter -> !IGNORED_WRITE_PARAMETERS.contains(parameterName(parameter)))
            .collect(Collectors.joining("&"));
    String bare = path.substring(0, query);
    return kept.isEmpty() ? bare : bare + "?" + kept;
  }

  private static String parameterName(String parameter) {
    int equals = parameter.indexOf('=');
    return equals < 0 ? parameter : parameter.substring(0, equals);
  }

  private static RecordedRequest withoutIgnoredParameters(RecordedRequest request) {
    String path = request.getPath();
    String stripped = stripIgnoredParameters(path);
    if (stripped.equals(path)) {
      return request;
    }
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        stripped,
        request.getHeaders(),
        request.getBody());
  }
}
