package ai.kubernaut.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays the Go Gateway's per-signal Kubernetes API sequence (contract §6.3: lock enabled, no
 * contention, owner cache warm, auth off) against the same API server, as the baseline:
 *
 * <ol>
 *   <li>Lease GET (404) + Lease CREATE ({@code gw-lock-<fp[0:16]>}); a Lease held by this same
 *       holder counts as acquired, as in the Go code; a 409 is contention: back off and retry
 *   <li>RemediationRequest LIST, uncached. The Go Gateway uses a field selector on {@code
 *       spec.signalFingerprint}; the mock silently answers {@code []} to that, so this uses the
 *       equality label selector {@code kubernaut.ai/signal-fingerprint=<fp[0:40]>} (one LIST either
 *       way)
 *   <li>new: RR CREATE; then, for new and duplicate alike, RR GET (uncached) + status UPDATE (PUT
 *       {@code /status})
 *   <li>Lease GET + DELETE (release)
 * </ol>
 *
 * New = 8 requests, duplicate = 7 (plus TokenReview + SubjectAccessReview = 2 more when the Go
 * Gateway's auth is on; not replayed, since the gateway under test runs without sender auth).
 * Whether a signal is new is decided by the load plan, as for the gateway.
 */
final class GoProtocolBaseline {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = BenchCluster.BASELINE_NS;
  private static final String HOLDER = "go-gateway-baseline";

  /**
   * A Lease's MicroTime, exactly six fractional digits: the real API server refuses any other
   * precision with 400 (the mock accepted the nine digits this used to send).
   */
  private static final java.time.format.DateTimeFormatter MICRO_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  private final URI api;
  private final AtomicLong sequence = new AtomicLong();
  private final ThreadLocal<HttpClient> clients = ThreadLocal.withInitial(Load::newClient);

  GoProtocolBaseline(URI api) {
    this.api = api;
  }

  /** Processes one signal for {@code fingerprint}; returns 201 (new) or 202 (duplicate). */
  int process(String fingerprint, boolean wantNew) throws Exception {
    String lease = "gw-lock-" + fingerprint.substring(0, 16);
    acquire(lease);
    try {
      HttpResponse<String> list =
          send(
              get(
                  "/apis/kubernaut.ai/v1alpha1/namespaces/"
                      + NS
                      + "/remediationrequests?labelSelector=kubernaut.ai%2Fsignal-fingerprint%3D"
                      + fingerprint.substring(0, 40)));
      String active = null;
      for (JsonNode item : JSON.readTree(list.body()).path("items")) {
        String phase = item.path("status").path("overallPhase").asText("");
        if (!phase.equals("Completed") && !phase.equals("Failed")) {
          active = item.path("metadata").path("name").asText();
        }
      }
      int outcome = 202;
      if (wantNew || active == null) {
        active =
            "rr-"
                + fingerprint.substring(0, 12)
                + "-"
                + String.format("%08x", sequence.incrementAndGet());
        ObjectNode rr = JSON.createObjectNode();
        rr.put("apiVersion", "kubernaut.ai/v1alpha1");
        rr.put("kind", "RemediationRequest");
        rr.putObject("metadata")
            .put("name", active)
            .put("namespace", NS)
            .putObject("labels")
            .put("kubernaut.ai/signal-fingerprint", fingerprint.substring(0, 40));
        ObjectNode spec = rr.putObject("spec");
        spec.put("signalFingerprint", fingerprint)
            .put("signalName", "KubePodCrashLooping")
            .put("severity", "critical")
            .put("signalType", "alert")
            .put("targetType", "kubernetes")
            .put("firingTime", Instant.now().toString())
            .put("receivedTime", Instant.now().toString());
        spec.putObject("targetResource")
            .put("kind", "Deployment")
            .put("name", "x")
            .put("namespace", "bench");
        HttpResponse<String> created =
            send(
                write(
                    "POST",
                    "/apis/kubernaut.ai/v1alpha1/namespaces/" + NS + "/remediationrequests",
                    rr.toString()));
        if (created.statusCode() != 201 && created.statusCode() != 200) {
          throw new IllegalStateException("RR create " + created.statusCode());
        }
        outcome = 201;
      }
      String path =
          "/apis/kubernaut.ai/v1alpha1/namespaces/" + NS + "/remediationrequests/" + active;
      HttpResponse<String> current = send(get(path));
      ObjectNode object = (ObjectNode) JSON.readTree(current.body());
      ObjectNode status =
          object.has("status") && object.get("status").isObject()
              ? (ObjectNode) object.get("status")
              : object.putObject("status");
      ObjectNode dedup =
          status.has("deduplication")
              ? (ObjectNode) status.get("deduplication")
              : status.putObject("deduplication");
      dedup.put("occurrenceCount", dedup.path("occurrenceCount").asInt(0) + 1);
      dedup.put("lastSeenAt", Instant.now().toString());
      HttpResponse<String> updated = send(write("PUT", path + "/status", object.toString()));
      if (updated.statusCode() / 100 != 2) {
        throw new IllegalStateException("status update " + updated.statusCode());
      }
      return outcome;
    } finally {
      release(lease);
    }
  }

  private void acquire(String lease) throws Exception {
    String path = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/" + lease;
    for (int attempt = 1; attempt <= 10; attempt++) {
      HttpResponse<String> r = send(get(path));
      if (r.statusCode() == 200 && r.body().contains("\"holderIdentity\":\"" + HOLDER + "\"")) {
        return;
      }
      if (r.statusCode() == 404) {
        String now = MICRO_TIME.format(Instant.now());
        String body =
            "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\""
                + lease
                + "\",\"namespace\":\""
                + NS
                + "\"},\"spec\":{\"holderIdentity\":\""
                + HOLDER
                + "\",\"leaseDurationSeconds\":30,\"acquireTime\":\""
                + now
                + "\",\"renewTime\":\""
                + now
                + "\"}}";
        HttpResponse<String> c =
            send(write("POST", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases", body));
        if (c.statusCode() / 100 == 2) {
          return;
        }
      }
      long sleep = Math.min(100L << (attempt - 1), 1000L);
      Thread.sleep((long) (sleep * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble())));
    }
    throw new IllegalStateException("lock acquisition timeout after 10 attempts");
  }

  private void release(String lease) throws Exception {
    String path = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/" + lease;
    HttpResponse<String> r = send(get(path));
    if (r.statusCode() == 200 && r.body().contains("\"holderIdentity\":\"" + HOLDER + "\"")) {
      send(
          HttpRequest.newBuilder(api.resolve(path))
              .header(ApiCounts.ORIGIN_HEADER, "baseline")
              .DELETE()
              .build());
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(api.resolve(path))
        .header(ApiCounts.ORIGIN_HEADER, "baseline")
        .GET()
        .build();
  }

  private HttpRequest write(String method, String path, String body) {
    return HttpRequest.newBuilder(api.resolve(path))
        .header(ApiCounts.ORIGIN_HEADER, "baseline")
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return clients.get().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
