package ai.kubernaut.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** What the bench reads from a gateway's Prometheus endpoint: heap in use, the circuit breaker. */
final class GatewayMetrics {

  private static final HttpClient HTTP = Load.newClient();

  private GatewayMetrics() {}

  static double heapMiB(TestBed.Gateway g) throws Exception {
    double sum = 0;
    for (String line : metrics(g).split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum / (1024 * 1024);
  }

  private static String metrics(TestBed.Gateway g) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(g.metrics()).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** After an overload the gateway's circuit breaker may be open (30 s): let it close first. */
  static void awaitBreakerClosed(List<TestBed.Gateway> gws) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    for (TestBed.Gateway g : gws) {
      while (System.nanoTime() < deadline) {
        boolean open =
            metrics(g)
                .lines()
                .anyMatch(
                    l ->
                        l.startsWith("gateway_circuit_breaker_state")
                            && !l.trim().endsWith(" 0.0")
                            && !l.trim().endsWith(" 0"));
        if (!open) {
          break;
        }
        System.out.println("waiting for gateway " + g.index() + "'s circuit breaker to close");
        Thread.sleep(2000);
      }
    }
  }
}
