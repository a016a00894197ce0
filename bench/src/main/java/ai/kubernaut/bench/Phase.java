package ai.kubernaut.bench;

import java.util.Map;

/**
 * One measured phase: who answered (the gateways or the Go-protocol baseline), under which load,
 * what the load driver saw and what it cost the API server and the processes.
 */
record Phase(
    String who,
    String load,
    boolean baseline,
    Load.Result result,
    Map<String, Long> apiCounts,
    double cpuPer1k,
    double apiCpuPer1k,
    double heapMiB,
    double rssMiB,
    long created,
    long duplicates) {

  /** API requests per answered signal. */
  double perSignal() {
    long total = apiCounts.values().stream().mapToLong(Long::longValue).sum();
    return (double) total / Math.max(1, result.completed());
  }

  double writesPerSecond() {
    long writes =
        apiCounts.entrySet().stream()
            .filter(e -> e.getKey().matches("(POST|PUT|PATCH|DELETE) .*"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    return writes / result.seconds();
  }

  double newPercent() {
    return 100.0 * created / Math.max(1, created + duplicates);
  }

  long answered(String status) {
    return result.byStatus().getOrDefault(status, 0L);
  }
}
