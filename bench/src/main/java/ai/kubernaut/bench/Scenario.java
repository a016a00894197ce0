package ai.kubernaut.bench;

/** One table of the benchmarks: a named value that knows how to run itself on a test bed. */
interface Scenario {

  String name();

  void run(BenchRun run) throws Exception;
}
