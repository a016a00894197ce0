package ai.kubernaut.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one benchmark table end to end: starts the API server and the gateway jar as separate JVMs
 * on loopback, drives load, replays the Go protocol baseline against the same API server, and
 * prints Markdown tables (also appended to the report file).
 *
 * <p>Usage: {@code Bench <storm|mixed|newheavy|events|replicas|memory|startup|smoke> [key=value..]}
 * with the keys of {@link Scenarios} and {@code report} (the report file).
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] argv) throws Exception {
    String name = argv.length == 0 ? "smoke" : argv[0];
    Map<String, String> args = BenchCluster.args(argv);
    Scenario scenario = Scenarios.all(args).get(name);
    if (scenario == null) {
      throw new IllegalArgumentException(
          "unknown scenario " + name + "; one of " + Scenarios.all(args).keySet());
    }
    TestBed bed = new TestBed(args);
    ReportWriter report =
        new ReportWriter(Path.of(args.getOrDefault("report", "bench/target/bench-report.md")));
    Runtime.getRuntime().addShutdownHook(new Thread(bed::stopAll));
    long t0 = System.nanoTime();
    try {
      scenario.run(new BenchRun(bed, new Measurement(bed), report));
    } finally {
      bed.stopAll();
      report.flush();
    }
    System.out.printf("%n(%s took %.0f s)%n", name, (System.nanoTime() - t0) / 1e9);
    System.exit(0);
  }
}
