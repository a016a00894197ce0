package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Counts every HTTP request the fabric8 client sends, in {@code gateway_kube_api_requests_total} by
 * verb, resource and status code. It sits in the client's interceptor chain, so it sees each
 * attempt separately: the gateway's retries, the informers' lists and watches, and fabric8's own
 * re-sends after a token refresh. A request that got no answer counts with code {@code error} when
 * fabric8 reports the connection failure to its interceptors.
 */
public final class ApiRequestCounter implements Interceptor {

  public static final String NAME = "gateway-api-request-counter";
  static final String NO_RESPONSE = "error";

  private final KubeMetrics metrics;

  public ApiRequestCounter(KubeMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void after(
      HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> body) {
    count(request, Integer.toString(response.code()));
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    count(request, NO_RESPONSE);
  }

  private void count(HttpRequest request, String code) {
    ApiRequestKind kind = ApiRequestKind.of(request.method(), request.uri());
    metrics.apiRequest(kind.verb(), kind.resource(), code);
  }
}
