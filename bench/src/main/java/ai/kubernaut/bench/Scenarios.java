package ai.kubernaut.bench;

import ai.kubernaut.bench.Signals.SignalKind;
import ai.kubernaut.bench.TrafficScenario.Baseline;
import ai.kubernaut.bench.TrafficScenario.Mix;
import ai.kubernaut.bench.TrafficScenario.Opening;
import ai.kubernaut.bench.TrafficScenario.Pace;
import ai.kubernaut.bench.TrafficScenario.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of BENCHMARKS.md as values, shaped by the run's key=value arguments: {@code seconds}
 * (per measured phase), {@code connections}, {@code workloads}, and for memory {@code rrs}, {@code
 * pods}, {@code payload}, {@code gatewayHeap}; for startup {@code runs}.
 */
final class Scenarios {

  private Scenarios() {}

  static Map<String, Scenario> all(Map<String, String> args) {
    int seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
    int connections = Integer.parseInt(args.getOrDefault("connections", "16"));
    int workloads = Integer.parseInt(args.getOrDefault("workloads", "1000"));
    Duration phase = Duration.ofSeconds(seconds);
    Pace closed = Pace.closed(connections);
    Baseline mixedBaseline = new Baseline(workloads, 0.1, closed, phase);
    String mixedShape = "(mixed: " + workloads + " fingerprints, 10 % new)";

    List<Scenario> all = new ArrayList<>();
    all.add(
        new TrafficScenario(
            "storm",
            "Storm: one fingerprint, unique bodies, closed loop at max rate, "
                + connections
                + " connections",
            10,
            "512m",
            1,
            Opening.FIRST_WORKLOAD,
            0,
            false,
            List.of(
                new Step(
                    SignalKind.ALERT,
                    Mix.ONE_FINGERPRINT,
                    closed,
                    Duration.ofSeconds(Math.min(5, seconds)),
                    false),
                Step.of(SignalKind.ALERT, Mix.ONE_FINGERPRINT, closed, phase)),
            new Baseline(1, 0, closed, phase),
            false));
    all.add(
        mixed(
            "mixed",
            "Mixed: " + workloads + " fingerprints, 10 % new incidents, 90 % duplicates",
            workloads,
            1,
            mixedSteps(SignalKind.ALERT, closed, phase, 100, 300, 1000),
            mixedBaseline));
    all.add(
        mixed(
            "events",
            "Kubernetes Events " + mixedShape,
            workloads,
            1,
            mixedSteps(SignalKind.EVENT, closed, phase, 300),
            mixedBaseline));
    all.add(
        mixed(
            "replicas",
            "Two gateway replicas, round robin " + mixedShape,
            workloads,
            2,
            mixedSteps(SignalKind.ALERT, closed, phase, 300),
            mixedBaseline));
    all.add(
        new TrafficScenario(
            "newheavy",
            "New-heavy: every signal a new incident ("
                + workloads
                + " workloads; the simulated orchestrator ends each incident after it opens)",
            workloads,
            "1g",
            1,
            Opening.EVERY_WORKLOAD,
            workloads,
            true,
            List.of(Step.of(SignalKind.ALERT, Mix.ALL_NEW, closed, phase)),
            new Baseline(workloads, 1.0, closed, phase),
            false));
    Duration brief = Duration.ofSeconds(2);
    all.add(
        new TrafficScenario(
            "smoke",
            "Smoke (harness check only; numbers meaningless)",
            50,
            "512m",
            1,
            Opening.EVERY_WORKLOAD,
            5,
            true,
            List.of(
                Step.of(SignalKind.ALERT, Mix.TENTH_NEW, Pace.open(50), brief),
                Step.of(SignalKind.ALERT, Mix.TENTH_NEW, Pace.closed(4), brief),
                Step.of(SignalKind.EVENT, Mix.DUPLICATES, Pace.closed(4), brief)),
            new Baseline(50, 0.1, Pace.closed(4), brief),
            true));
    all.add(
        new MemoryScenario(
            "memory",
            Arrays.stream(args.getOrDefault("rrs", "0,10000,50000").split(","))
                .map(s -> Integer.parseInt(s.trim()))
                .toList(),
            Integer.parseInt(args.getOrDefault("pods", "10000")),
            Integer.parseInt(args.getOrDefault("payload", "8192")),
            args.getOrDefault("gatewayHeap", "512m")));
    all.add(new StartupScenario("startup", Integer.parseInt(args.getOrDefault("runs", "3"))));

    Map<String, Scenario> byName = new LinkedHashMap<>();
    all.forEach(s -> byName.put(s.name(), s));
    return byName;
  }

  /**
   * A tenth new: closed loop (max rate) first, then open loop at each rate. An open-loop rate above
   * capacity leaves a backlog (and may open the gateway's circuit breaker), which would spoil the
   * phases after it.
   */
  private static List<Step> mixedSteps(
      SignalKind kind, Pace closed, Duration phase, int... openRates) {
    List<Step> steps = new ArrayList<>();
    steps.add(Step.of(kind, Mix.TENTH_NEW, closed, phase));
    for (int rate : openRates) {
      steps.add(Step.of(kind, Mix.TENTH_NEW, Pace.open(rate), phase));
    }
    return steps;
  }

  /** Every workload opened, a tenth of the incidents ended, the orchestrator running. */
  private static TrafficScenario mixed(
      String name, String title, int workloads, int replicas, List<Step> steps, Baseline baseline) {
    return new TrafficScenario(
        name,
        title,
        workloads,
        "1g",
        replicas,
        Opening.EVERY_WORKLOAD,
        workloads / 10,
        true,
        steps,
        baseline,
        false);
  }
}
