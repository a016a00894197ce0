package ai.kubernaut.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Gateway heap after a full GC with {@code rrs} generated RemediationRequests (of {@code
 * payloadBytes} original payload) in the controller namespace, and with {@code pods} pods; reports
 * heap, RSS, start to ready and heap bytes per object against the empty cluster.
 */
record MemoryScenario(
    String name, List<Integer> rrs, int pods, int payloadBytes, String gatewayHeap)
    implements Scenario {

  @Override
  public void run(BenchRun run) throws Exception {
    run.report()
        .section(
            "Memory: gateway heap after full GC (jcmd GC.run), RemediationRequests with an "
                + payloadBytes
                + "-byte originalPayload in the controller namespace",
            run.bed().apiServerDescription());
    List<List<String>> rows = new ArrayList<>();
    double heap0 = -1;
    for (int count : rrs) {
      Row row = row(run.bed(), count + " RRs", 0, count);
      String perObject = "–";
      if (count == 0) {
        heap0 = row.heapMiB();
      } else if (heap0 >= 0) {
        perObject = String.format("%.0f", (row.heapMiB() - heap0) * 1024 * 1024 / count);
      }
      rows.add(row.cells(perObject));
    }
    if (pods > 0) {
      Row row = row(run.bed(), pods + " pods (no RRs)", pods, 0);
      rows.add(
          row.cells(
              heap0 >= 0
                  ? String.format("%.1f per pod", (row.heapMiB() - heap0) * 1024 * 1024 / pods)
                  : "–"));
    }
    run.report()
        .table(
            List.of(
                "Cluster contents",
                "Heap after GC MiB",
                "RSS MiB",
                "Start to ready ms",
                "Heap bytes per object"),
            "|---|---:|---:|---:|---:|",
            rows);
    run.report().line("");
    run.report()
        .line(
            "Gateway JVM: -Xmx"
                + gatewayHeap
                + ". The API server generates the RemediationRequests (status with a"
                + " dedup record) and the gateway lists them in pages of 500.");
  }

  private record Row(String label, double heapMiB, double rssMiB, long readyMillis) {
    List<String> cells(String perObject) {
      return List.of(
          label,
          String.format("%.1f", heapMiB),
          String.format("%.0f", rssMiB),
          Long.toString(readyMillis),
          perObject);
    }
  }

  private Row row(TestBed bed, String label, int pods, int rrs) throws Exception {
    bed.startApiServer(1, pods, rrs, rrs >= 20_000 ? "6g" : "3g", "rrPayloadBytes=" + payloadBytes);
    long t0 = System.nanoTime();
    TestBed.Gateway gw = bed.startGateway(0, gatewayHeap, null);
    long ready = (System.nanoTime() - t0) / 1_000_000;
    for (int i = 0; i < 2; i++) {
      ProcessStats.jcmd(gw.process().pid(), "GC.run");
    }
    Thread.sleep(500);
    double heapMiB = GatewayMetrics.heapMiB(gw);
    double rss = ProcessStats.rssMiB(gw.process().pid());
    System.out.printf(
        "memory row: %s gateway list pages: %s%n",
        label,
        bed.counts("gateway").entrySet().stream()
            .filter(e -> e.getKey().startsWith("LIST"))
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList());
    bed.stopAll();
    System.out.printf(
        "memory row: %s heap=%.1f MiB rss=%.0f MiB ready=%d ms%n", label, heapMiB, rss, ready);
    return new Row(label, heapMiB, rss, ready);
  }
}
