package ai.kubernaut.bench;

import java.util.List;

/**
 * Measures one phase of load: resets the API server's request counts, runs the load, and reads what
 * it cost (CPU of the gateways or of this JVM, CPU of the API server, heap, RSS).
 */
final class Measurement {

  private static final long SETTLE_MILLIS = 300;

  /** The load of one phase. */
  interface Body {
    Load.Result run() throws Exception;
  }

  private final TestBed bed;

  Measurement(TestBed bed) {
    this.bed = bed;
  }

  Phase gateways(String load, List<TestBed.Gateway> gws, Incidents incidents, Body body)
      throws Exception {
    Thread.sleep(SETTLE_MILLIS);
    GatewayMetrics.awaitBreakerClosed(gws);
    bed.resetCounts();
    long cpu0 = gatewayTicks(gws);
    long api0 = bed.apiServerCpuTicks();
    long c0 = incidents.created.sum();
    long d0 = incidents.duplicates.sum();
    Load.Result r = body.run();
    long cpu1 = gatewayTicks(gws);
    long api1 = bed.apiServerCpuTicks();
    double heap = 0;
    double rss = 0;
    for (TestBed.Gateway g : gws) {
      heap += GatewayMetrics.heapMiB(g);
      rss += ProcessStats.rssMiB(g.process().pid());
    }
    Phase p =
        new Phase(
            gws.size() > 1 ? "gateway ×" + gws.size() : "gateway",
            load,
            false,
            r,
            bed.counts("gateway"),
            per1k(cpu1 - cpu0, r),
            per1k(api1 - api0, r),
            heap,
            rss,
            incidents.created.sum() - c0,
            incidents.duplicates.sum() - d0);
    System.out.printf("%s: %.0f signals/s %s%n", p.who(), r.rate(), r.statuses());
    return p;
  }

  /** The Go-protocol baseline client, which runs inside this JVM. */
  Phase baseline(String load, Body body) throws Exception {
    Thread.sleep(SETTLE_MILLIS);
    bed.resetCounts();
    long api0 = bed.apiServerCpuTicks();
    long self0 = ProcessStats.cpuTicks(ProcessHandle.current().pid());
    Load.Result r = body.run();
    long self1 = ProcessStats.cpuTicks(ProcessHandle.current().pid());
    long api1 = bed.apiServerCpuTicks();
    Phase p =
        new Phase(
            "Go protocol (CPU: client JVM)",
            load,
            true,
            r,
            bed.counts("baseline"),
            // the client's CPU, with the load generator's idle threads
            per1k(self1 - self0, r),
            per1k(api1 - api0, r),
            Double.NaN,
            Double.NaN,
            r.byStatus().getOrDefault("201", 0L),
            r.byStatus().getOrDefault("202", 0L));
    System.out.printf("%s: %.0f signals/s %s%n", p.who(), r.rate(), r.statuses());
    return p;
  }

  private static long gatewayTicks(List<TestBed.Gateway> gws) {
    return gws.stream().mapToLong(g -> ProcessStats.cpuTicks(g.process().pid())).sum();
  }

  /** CPU seconds per 1,000 answered signals, from clock ticks (100 a second). */
  private static double per1k(long ticks, Load.Result r) {
    return ticks / 100.0 / Math.max(1, r.completed()) * 1000;
  }
}
