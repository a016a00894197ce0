package ai.kubernaut.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The signals the bench sends: Alertmanager webhooks and Kubernetes Events for one workload. */
final class Signals {

  private static final Map<Integer, String> FINGERPRINTS = new ConcurrentHashMap<>();

  /**
   * Makes every body unique across all phases of a run (and across runs): the gateway answers a
   * byte-identical redelivery within two minutes from memory, without counting it or calling the
   * API, so a repeated body would not be a real signal.
   */
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private static final String RUN = Long.toHexString(System.currentTimeMillis());

  private Signals() {}

  /** The Go fingerprint of workload w's Deployment: sha256("bench:Deployment:app-NNNN"). */
  static String fingerprint(int w) {
    return FINGERPRINTS.computeIfAbsent(
        w,
        k ->
            BenchCluster.sha256(
                BenchCluster.MANAGED_NS + ":Deployment:" + BenchCluster.deploymentName(k)));
  }

  private static String unique() {
    return RUN + "-" + SEQUENCE.incrementAndGet();
  }

  /**
   * A signal of {@code kind} about {@code workload}'s pod, its answer told to {@code incidents}.
   */
  static Load.Signal about(SignalKind kind, Incidents incidents, int workload) {
    return new Load.Signal() {
      @Override
      public HttpRequest request(long n, URI base) {
        String body = kind == SignalKind.EVENT ? eventBody(workload) : alertBody(workload);
        return HttpRequest.newBuilder(base)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
      }

      @Override
      public void answered(long n, int status, String body) {
        incidents.answered(workload, status, body);
      }
    };
  }

  private static String alertBody(int workload) {
    return "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"bench\",\"groupKey\":\"bench\","
        + "\"commonLabels\":{},\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
        + "\"KubePodCrashLooping\",\"severity\":\"critical\",\"namespace\":\"bench\",\"pod\":\""
        + BenchCluster.podName(workload)
        + "\"},\"annotations\":{\"summary\":\"Pod is crash looping\",\"bench-seq\":\""
        + unique()
        + "\"},\"startsAt\":\"2026-01-01T00:00:00Z\"}]}";
  }

  private static String eventBody(int workload) {
    String seq = unique();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"type\":\"Warning\",\"reason\":\"BackOff\","
        + "\"message\":\"Back-off restarting failed container ("
        + seq
        + ")\",\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"bench\",\"name\":\""
        + BenchCluster.podName(workload)
        + "\"},\"firstTimestamp\":\""
        + now
        + "\",\"lastTimestamp\":\""
        + now
        + "\",\"count\":"
        + SEQUENCE.get()
        + ",\"source\":{\"component\":\"kubelet\"}}";
  }

  /** Which source a signal goes to, and its route. */
  enum SignalKind {
    ALERT("prometheus"),
    EVENT("kubernetes-event");

    final String route;

    SignalKind(String route) {
      this.route = route;
    }
  }
}
