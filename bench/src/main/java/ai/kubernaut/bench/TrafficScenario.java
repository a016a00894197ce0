package ai.kubernaut.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A traffic table: a cluster of {@code workloads} workloads, {@code replicas} gateways opened by
 * {@code opening}, a few incidents ended before measuring (by the simulated orchestrator, which
 * then keeps ending what opens when {@code orchestrator} is set), the measured {@code steps}, and
 * the Go-protocol baseline on the same API server. Reports the traffic table and the API requests
 * per signal by kind; {@code check} makes the run fail when a phase did not work (the smoke run).
 */
record TrafficScenario(
    String name,
    String title,
    int workloads,
    String apiServerHeap,
    int replicas,
    Opening opening,
    int endedBeforeMeasuring,
    boolean orchestrator,
    List<Step> steps,
    Baseline baseline,
    boolean check)
    implements Scenario {

  /** How the incidents are opened before anything is measured. */
  enum Opening {
    /** One signal for workload 0: the storm's single incident. */
    FIRST_WORKLOAD,
    /** One signal per workload (of the first step's kind), so every workload has an incident. */
    EVERY_WORKLOAD
  }

  /** Which workload the n-th signal of a step is about. */
  enum Mix {
    ONE_FINGERPRINT,
    TENTH_NEW,
    ALL_NEW,
    DUPLICATES;

    int workload(Incidents incidents, long n) {
      return switch (this) {
        case ONE_FINGERPRINT -> 0;
        case TENTH_NEW -> incidents.pick(n % 10 == 0);
        case ALL_NEW -> incidents.pick(true);
        case DUPLICATES -> incidents.pick(false);
      };
    }
  }

  /** Closed loop with {@code connections} connections, or open loop at {@code rate} a second. */
  record Pace(int connections, int rate) {
    static Pace closed(int connections) {
      return new Pace(connections, 0);
    }

    static Pace open(int rate) {
      return new Pace(0, rate);
    }

    String label() {
      return rate > 0 ? "open, " + rate + "/s" : "closed, c=" + connections;
    }
  }

  /** One measured phase; a step that is not reported only warms the gateway up. */
  record Step(Signals.SignalKind kind, Mix mix, Pace pace, Duration length, boolean reported) {
    static Step of(Signals.SignalKind kind, Mix mix, Pace pace, Duration length) {
      return new Step(kind, mix, pace, length, true);
    }

    String label(boolean mixedKinds) {
      return pace.label() + (mixedKinds && kind == Signals.SignalKind.EVENT ? " (events)" : "");
    }
  }

  /**
   * The Go protocol's client: one incident opened per fingerprint of the first {@code fingerprints}
   * workloads, then closed loop over them, a {@code newFraction} of signals opening a new incident.
   */
  record Baseline(int fingerprints, double newFraction, Pace pace, Duration length) {
    boolean wantsNew(long n) {
      return newFraction >= 1.0 || (newFraction > 0 && n % Math.round(1 / newFraction) == 0);
    }
  }

  @Override
  public void run(BenchRun run) throws Exception {
    TestBed bed = run.bed();
    bed.startApiServer(workloads, 0, 0, apiServerHeap);
    List<TestBed.Gateway> gws = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      gws.add(bed.startGateway(i, "512m", null));
    }
    Incidents incidents = new Incidents(workloads, bed.apiUri());
    open(gws, incidents);
    if (endedBeforeMeasuring > 0) {
      incidents.endOldest(endedBeforeMeasuring);
    }
    if (orchestrator) {
      incidents.startOrchestrator();
    }
    run.report().section(title, bed.apiServerDescription());
    boolean mixedKinds = steps.stream().map(Step::kind).distinct().count() > 1;
    List<Phase> rows = new ArrayList<>();
    for (Step step : steps) {
      Phase phase =
          run.measurement()
              .gateways(step.label(mixedKinds), gws, incidents, () -> drive(gws, incidents, step));
      if (step.reported()) {
        rows.add(phase);
      }
    }
    if (orchestrator) {
      incidents.stopOrchestrator();
    }
    rows.add(baseline(run, bed));
    run.report().traffic(rows);
    run.report().apiDetail(rows);
    if (check) {
      verify(rows);
      run.report().line(name + ": OK");
    }
  }

  private void open(List<TestBed.Gateway> gws, Incidents incidents) throws Exception {
    Signals.SignalKind kind = steps.getFirst().kind();
    List<URI> targets = TestBed.targets(gws, kind);
    if (opening == Opening.FIRST_WORKLOAD) {
      Load.closedLoop(
          targets, 1, Duration.ofSeconds(10), 1, n -> Signals.about(kind, incidents, 0));
      return;
    }
    long t0 = System.nanoTime();
    Load.Result r =
        Load.closedLoop(
            targets,
            Math.max(1, steps.stream().mapToInt(s -> s.pace().connections()).max().orElse(1)),
            Duration.ofSeconds(180),
            workloads,
            n -> Signals.about(kind, incidents, (int) n));
    System.out.printf(
        "warm-up: %d signals in %.1f s, %s%n",
        r.completed(), (System.nanoTime() - t0) / 1e9, r.statuses());
  }

  private static Load.Result drive(List<TestBed.Gateway> gws, Incidents incidents, Step step)
      throws InterruptedException {
    Load.Generator gen =
        n -> Signals.about(step.kind(), incidents, step.mix().workload(incidents, n));
    List<URI> targets = TestBed.targets(gws, step.kind());
    return step.pace().rate() > 0
        ? Load.openLoop(targets, step.pace().rate(), step.length(), Long.MAX_VALUE, gen)
        : Load.closedLoop(targets, step.pace().connections(), step.length(), Long.MAX_VALUE, gen);
  }

  private Phase baseline(BenchRun run, TestBed bed) throws Exception {
    GoProtocolBaseline go = new GoProtocolBaseline(bed.apiUri());
    int workers = baseline.pace().connections();
    Load.closedLoop(
        workers,
        Duration.ofSeconds(120),
        baseline.fingerprints(),
        n -> Integer.toString(go.process(Signals.fingerprint((int) n), true)));
    return run.measurement()
        .baseline(
            baseline.pace().label(),
            () ->
                Load.closedLoop(
                    workers,
                    baseline.length(),
                    Long.MAX_VALUE,
                    n -> {
                      int w = ThreadLocalRandom.current().nextInt(baseline.fingerprints());
                      return Integer.toString(
                          go.process(Signals.fingerprint(w), baseline.wantsNew(n)));
                    }));
  }

  /**
   * Every phase answered, every closed-loop gateway phase got duplicates accepted (202), and the
   * first gateway phase and the baseline reached the API server.
   */
  private void verify(List<Phase> rows) {
    boolean ok = rows.stream().allMatch(p -> p.result().completed() > 0);
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).pace().rate() == 0) {
        ok &= rows.get(i).answered("202") > 0;
      }
    }
    ok &= rows.getFirst().perSignal() > 0 && rows.getLast().perSignal() > 0;
    if (!ok) {
      throw new IllegalStateException(name + " run failed: see the table above");
    }
  }
}
