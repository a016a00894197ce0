package ai.kubernaut.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Answers LISTs of RemediationRequests in the controller namespace from N objects generated on
 * demand, page by page ({@code limit}/{@code continue}), instead of from the mock's CRUD store: the
 * store costs O(n) per create, so seeding 50,000 objects through it takes most of an hour. Watches
 * and every other request go to the delegate, and so does everything when N is 0. The generated
 * objects are read-only: what a memory measurement of the gateway's cache needs.
 */
final class GeneratedRemediationRequests extends Dispatcher {

  private static final String LABEL = "kubernaut.ai/signal-fingerprint";

  private final String collectionPath;
  private final int count;
  private final IntFunction<GenericKubernetesResource> object;
  private final Dispatcher delegate;
  private final Map<String, Integer> byFingerprintLabel = new HashMap<>();

  GeneratedRemediationRequests(
      String namespace,
      int count,
      IntFunction<GenericKubernetesResource> object,
      Dispatcher delegate) {
    this.collectionPath =
        "/apis/kubernaut.ai/v1alpha1/namespaces/" + namespace + "/remediationrequests";
    this.count = count;
    this.object = object;
    this.delegate = delegate;
    for (int n = 0; n < count; n++) {
      byFingerprintLabel.put(object.apply(n).getMetadata().getLabels().get(LABEL), n);
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    String bare = q < 0 ? path : path.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : path.substring(q + 1));
    if (count == 0
        || request.method() != HttpMethod.GET
        || !bare.equals(collectionPath)
        || "true".equals(query.get("watch"))) {
      return delegate.dispatch(request);
    }
    String selector = query.getOrDefault("labelSelector", "");
    if (!selector.isEmpty()) {
      Integer n =
          selector.startsWith(LABEL + "=")
              ? byFingerprintLabel.get(selector.substring(LABEL.length() + 1))
              : null;
      return n == null ? delegate.dispatch(request) : list(n, n + 1, null);
    }
    int from = Integer.parseInt(query.getOrDefault("continue", "0"));
    int limit = Integer.parseInt(query.getOrDefault("limit", "0"));
    int to = limit <= 0 ? count : Math.min(count, from + limit);
    return list(from, to, to < count ? Integer.toString(to) : null);
  }

  private MockResponse list(int from, int to, String next) {
    StringBuilder body = new StringBuilder(Math.min(1 << 20, 16_384 * Math.max(1, to - from)));
    body.append("{\"apiVersion\":\"kubernaut.ai/v1alpha1\",\"kind\":\"RemediationRequestList\",")
        .append("\"metadata\":{\"resourceVersion\":\"")
        .append(count + 1)
        .append('"');
    if (next != null) {
      body.append(",\"continue\":\"").append(next).append('"');
    }
    body.append("},\"items\":[");
    for (int n = from; n < to; n++) {
      if (n > from) {
        body.append(',');
      }
      body.append(Serialization.asJson(object.apply(n)));
    }
    body.append("]}");
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }
}
