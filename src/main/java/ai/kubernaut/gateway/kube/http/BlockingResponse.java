package ai.kubernaut.gateway.kube.http;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.helidon.http.Header;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An answer's status and headers, read once, with its body still to be consumed. */
final class BlockingResponse implements HttpResponse<AsyncBody> {

  private final HttpRequest request;
  private final int code;
  private final Map<String, List<String>> headers;
  private final AsyncBody body;

  BlockingResponse(HttpRequest request, Http1ClientResponse response, AsyncBody body) {
    this.request = request;
    this.code = response.status().code();
    this.headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Header header : response.headers()) {
      headers.put(header.name(), new ArrayList<>(header.allValues()));
    }
    this.body = body;
  }

  @Override
  public int code() {
    return code;
  }

  @Override
  public AsyncBody body() {
    return body;
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public Optional<HttpResponse<?>> previousResponse() {
    return Optional.empty();
  }

  @Override
  public List<String> headers(String key) {
    return headers.getOrDefault(key, List.of());
  }

  @Override
  public Map<String, List<String>> headers() {
    return headers;
  }
}
