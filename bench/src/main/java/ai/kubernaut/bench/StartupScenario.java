package ai.kubernaut.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Start to ready (process start until /readyz answers 200), {@code runs} times in embedded mode and
 * {@code runs} times against the bench API server; reports each run and the median.
 */
record StartupScenario(String name, int runs) implements Scenario {

  @Override
  public void run(BenchRun run) throws Exception {
    TestBed bed = run.bed();
    run.report().section("Start to ready (process start until /readyz answers 200)", "none");
    List<Long> embedded = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      bed.startGateway(0, "512m", "--embedded");
      embedded.add((System.nanoTime() - t0) / 1_000_000);
      bed.stopAll();
    }
    bed.startApiServer(1, 0, 0, "512m");
    List<Long> cluster = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      TestBed.Gateway gw = bed.startGateway(0, "512m", null);
      cluster.add((System.nanoTime() - t0) / 1_000_000);
      bed.stop(gw);
    }
    run.report()
        .table(
            List.of("Mode", "Runs (ms)", "Median ms"),
            "|---|---|---:|",
            List.of(
                List.of("embedded (`--embedded`)", embedded.toString(), median(embedded)),
                List.of(
                    "against the bench API server (`--kubeconfig`)",
                    cluster.toString(),
                    median(cluster))));
  }

  private static String median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return Long.toString(sorted.get(sorted.size() / 2));
  }
}
