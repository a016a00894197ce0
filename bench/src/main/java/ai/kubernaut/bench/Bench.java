package ai.kubernaut.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Runs one benchmark scenario end to end: starts the API server ({@link ApiServerMain}) and the
 * gateway jar as separate JVMs on loopback, drives load, replays the Go protocol baseline against
 * the same API server, and prints Markdown tables (also appended to the report file).
 *
 * <p>Usage: {@code Bench <storm|mixed|newheavy|events|replicas|memory|startup|smoke> [key=value..]}
 * with keys {@code seconds} (per measured phase), {@code connections}, {@code report}.
 */
public final class Bench {

  static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "kubernaut-bench");
  static final int API_PORT = 18443;
  static final int COUNTS_PORT = 18444;
  static final Duration SETTLE = Duration.ofMillis(300);

  private final Map<String, String> args;
  private final int seconds;
  private final int connections;
  private final Path report;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = Load.newClient();
  private final List<String> lines = new ArrayList<>();
  private Process apiServer;
  private String apiServerDescription = "none";

  Bench(Map<String, String> args) {
    this.args = args;
    this.seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
    this.connections = Integer.parseInt(args.getOrDefault("connections", "16"));
    this.report = Path.of(args.getOrDefault("report", "bench/target/bench-report.md"));
  }

  public static void main(String[] argv) throws Exception {
    String scenario = argv.length == 0 ? "smoke" : argv[0];
    Map<String, String> args = ApiServerMain.Args.parse(argv);
    Bench bench = new Bench(args);
    Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
    long t0 = System.nanoTime();
    try {
      switch (scenario) {
        case "storm" -> bench.storm();
        case "mixed" -> bench.mixed(false, 1, "mixed");
        case "newheavy" -> bench.newHeavy();
        case "events" -> bench.mixed(true, 1, "events");
        case "replicas" -> bench.mixed(false, 2, "replicas");
        case "memory" -> bench.memory();
        case "startup" -> bench.startup();
        case "smoke" -> bench.smoke();
        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
      }
    } finally {
      bench.stopAll();
      bench.flush();
    }
    System.out.printf("%n(%s took %.0f s)%n", scenario, (System.nanoTime() - t0) / 1e9);
    System.exit(0);
  }

  // ---------------------------------------------------------------- scenarios

  private static final String HEADER =
      "| Run | Load | Signals/s | p50 ms | p95 ms | p99 ms | max ms | Errors | New % | API req/signal | API writes/s | Gateway CPU s/1k signals | API server CPU s/1k signals | Heap MiB | RSS MiB |\n"
          + "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|";

  void storm() throws Exception {
    startApiServer(10, 0, 0, "512m");
    List<Gateway> gws = List.of(startGateway(0, "512m", null));
    Incidents incidents = new Incidents(10, apiUri());
    // open the incident first
    Load.closedLoop(targets(gws, "prometheus"), 1, Duration.ofSeconds(10), 1, n -> alert(incidents, 0, n));
    section("Storm: one fingerprint, unique bodies, closed loop at max rate, " + connections + " connections");
    Phase warm = measure("warm-up (not reported)", gws, () ->
        Load.closedLoop(targets(gws, "prometheus"), connections, Duration.ofSeconds(Math.min(5, seconds)), Long.MAX_VALUE, n -> alert(incidents, 0, n)), incidents);
    Phase gw = measure("gateway", gws, () ->
        Load.closedLoop(targets(gws, "prometheus"), connections, Duration.ofSeconds(seconds), Long.MAX_VALUE, n -> alert(incidents, 0, n)), incidents);
    GoProtocolBaseline go = new GoProtocolBaseline(apiUri());
    String fp = fingerprint(0);
    go.process(fp, true);
    Phase base = measureBaseline("Go protocol", () -> tasks(connections, seconds, n -> go.process(fp, false)));
    table(List.of(gw, base), "closed, c=" + connections, base);
    apiDetail(List.of(gw, base));
    discard(warm);
  }

  void mixed(boolean events, int replicas, String name) throws Exception {
    int workloads = Integer.parseInt(args.getOrDefault("workloads", "1000"));
    startApiServer(workloads, 0, 0, "1g");
    List<Gateway> gws = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      gws.add(startGateway(i, "512m", null));
    }
    String route = events ? "kubernetes-event" : "prometheus";
    Incidents incidents = new Incidents(workloads, apiUri());
    warmUp(gws, route, incidents, workloads, events);
    incidents.endOldest(workloads / 10);
    incidents.startOrchestrator();
    section(
        switch (name) {
          case "events" -> "Kubernetes Events (mixed: " + workloads + " fingerprints, 10 % new)";
          case "replicas" -> "Two gateway replicas, round robin (mixed: " + workloads + " fingerprints, 10 % new)";
          default -> "Mixed: " + workloads + " fingerprints, 10 % new incidents, 90 % duplicates";
        });
    Load.Generator gen = n -> events ? event(incidents, incidents.pick(n % 10 == 0), n) : alert(incidents, incidents.pick(n % 10 == 0), n);
    List<Phase> rows = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    int[] rates = name.equals("mixed") ? new int[] {100, 300, 1000} : new int[] {300};
    // closed loop (max rate) first: an open-loop rate above capacity leaves a backlog (and may
    // open the gateway's circuit breaker), which would spoil the phases after it
    rows.add(measure("gateway", gws, () -> Load.closedLoop(targets(gws, route), connections, Duration.ofSeconds(seconds), Long.MAX_VALUE, gen), incidents));
    loads.add("closed, c=" + connections);
    for (int rate : rates) {
      rows.add(measure("gateway", gws, () -> Load.openLoop(targets(gws, route), rate, Duration.ofSeconds(seconds), Long.MAX_VALUE, gen), incidents));
      loads.add("open, " + rate + "/s");
    }
    incidents.stopOrchestrator();
    Phase base = baselineMixed(workloads, 0.1);
    rows.add(base);
    loads.add("closed, c=" + connections);
    table(rows, loads, base);
    apiDetail(rows);
  }

  void newHeavy() throws Exception {
    int workloads = Integer.parseInt(args.getOrDefault("workloads", "1000"));
    startApiServer(workloads, 0, 0, "1g");
    List<Gateway> gws = List.of(startGateway(0, "512m", null));
    Incidents incidents = new Incidents(workloads, apiUri());
    warmUp(gws, "prometheus", incidents, workloads, false);
    incidents.endOldest(workloads);
    incidents.startOrchestrator();
    section("New-heavy: every signal a new incident (" + workloads + " workloads; the simulated orchestrator ends each incident after it opens)");
    Phase gw = measure("gateway", gws, () -> Load.closedLoop(targets(gws, "prometheus"), connections, Duration.ofSeconds(seconds), Long.MAX_VALUE, n -> alert(incidents, incidents.pick(true), n)), incidents);
    incidents.stopOrchestrator();
    Phase base = baselineMixed(workloads, 1.0);
    table(List.of(gw, base), "closed, c=" + connections, base);
    apiDetail(List.of(gw, base));
  }

  private Phase baselineMixed(int workloads, double newFraction) throws Exception {
    GoProtocolBaseline go = new GoProtocolBaseline(apiUri());
    tasks(connections, 120, workloads, n -> go.process(fingerprint((int) n), true));
    return measureBaseline(
        "Go protocol",
        () ->
            tasks(
                connections,
                seconds,
                n -> {
                  int w = ThreadLocalRandom.current().nextInt(workloads);
                  return go.process(fingerprint(w), newFraction >= 1.0 || n % Math.round(1 / newFraction) == 0);
                }));
  }

  /** One signal per workload, so every workload has an open incident. */
  private void warmUp(List<Gateway> gws, String route, Incidents incidents, int workloads, boolean events)
      throws Exception {
    long t0 = System.nanoTime();
    Load.Result r =
        Load.closedLoop(
            targets(gws, route), connections, Duration.ofSeconds(180), workloads,
            n -> events ? event(incidents, (int) n, n) : alert(incidents, (int) n, n));
    System.out.printf("warm-up: %d signals in %.1f s, %s%n", r.completed(), (System.nanoTime() - t0) / 1e9, r.statuses());
  }

  void memory() throws Exception {
    section("Memory: gateway heap after full GC (jcmd GC.run), RemediationRequests with an "
        + args.getOrDefault("payload", "8192") + "-byte originalPayload in the controller namespace");
    String gwHeap = args.getOrDefault("gatewayHeap", "512m");
    List<Integer> sizes = new ArrayList<>();
    for (String s : args.getOrDefault("rrs", "0,10000,50000").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    int pods = Integer.parseInt(args.getOrDefault("pods", "10000"));
    List<String[]> rows = new ArrayList<>();
    double heap0 = -1;
    for (int rrs : sizes) {
      rows.add(memoryRow(rrs + " RRs", 1, 0, rrs, gwHeap));
      double heap = Double.parseDouble(rows.getLast()[1]);
      if (rrs == 0) {
        heap0 = heap;
      } else if (heap0 >= 0) {
        rows.getLast()[4] = String.format("%.0f", (heap - heap0) * 1024 * 1024 / rrs);
      }
    }
    if (pods > 0) {
      rows.add(memoryRow(pods + " pods (no RRs)", 1, pods, 0, gwHeap));
      if (heap0 >= 0) {
        double heap = Double.parseDouble(rows.getLast()[1]);
        rows.getLast()[4] = String.format("%.1f per pod", (heap - heap0) * 1024 * 1024 / pods);
      }
    }
    out("| Cluster contents | Heap after GC MiB | RSS MiB | Start to ready ms | Heap bytes per object |");
    out("|---|---:|---:|---:|---:|");
    for (String[] r : rows) {
      out("| " + String.join(" | ", r) + " |");
    }
    out("");
    out("Gateway JVM: -Xmx" + gwHeap + ". The API server generates the RemediationRequests (status with a"
        + " dedup record) and the gateway lists them in pages of 500.");
  }

  private String[] memoryRow(String label, int workloads, int pods, int rrs, String heap) throws Exception {
    startApiServer(workloads, pods, rrs, rrs >= 20_000 ? "6g" : "3g", "rrPayloadBytes=" + args.getOrDefault("payload", "8192"));
    long t0 = System.nanoTime();
    Gateway gw = startGateway(0, heap, null);
    long ready = (System.nanoTime() - t0) / 1_000_000;
    for (int i = 0; i < 2; i++) {
      jcmd(gw.process.pid(), "GC.run");
    }
    Thread.sleep(500);
    double heapMiB = heapMiB(gw);
    double rss = rssMiB(gw.process.pid());
    System.out.printf("memory row: %s gateway list pages: %s%n", label, counts("gateway").entrySet().stream()
        .filter(e -> e.getKey().startsWith("LIST")).map(e -> e.getKey() + "=" + e.getValue()).toList());
    stopAll();
    System.out.printf("memory row: %s heap=%.1f MiB rss=%.0f MiB ready=%d ms%n", label, heapMiB, rss, ready);
    return new String[] {label, String.format("%.1f", heapMiB), String.format("%.0f", rss), Long.toString(ready), "–"};
  }

  void startup() throws Exception {
    section("Start to ready (process start until /readyz answers 200)");
    int runs = Integer.parseInt(args.getOrDefault("runs", "3"));
    List<Long> embedded = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      Gateway gw = startGateway(0, "512m", "--embedded");
      embedded.add((System.nanoTime() - t0) / 1_000_000);
      stopAll();
    }
    startApiServer(1, 0, 0, "512m");
    List<Long> cluster = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      Gateway gw = startGateway(0, "512m", null);
      cluster.add((System.nanoTime() - t0) / 1_000_000);
      gw.process.destroy();
      gw.process.waitFor();
      processes.remove(gw.process);
    }
    out("| Mode | Runs (ms) | Median ms |");
    out("|---|---|---:|");
    out("| embedded (`--embedded`) | " + embedded + " | " + median(embedded) + " |");
    out("| against the bench API server (`--kubeconfig`) | " + cluster + " | " + median(cluster) + " |");
  }

  /** A short run of every moving part, for CI: bounded well under a minute. */
  void smoke() throws Exception {
    startApiServer(50, 0, 0, "512m");
    List<Gateway> gws = List.of(startGateway(0, "512m", null));
    Incidents incidents = new Incidents(50, apiUri());
    warmUp(gws, "prometheus", incidents, 50, false);
    incidents.endOldest(5);
    incidents.startOrchestrator();
    section("Smoke (harness check only; numbers meaningless)");
    Load.Generator gen = n -> alert(incidents, incidents.pick(n % 10 == 0), n);
    Phase open = measure("gateway", gws, () -> Load.openLoop(targets(gws, "prometheus"), 50, Duration.ofSeconds(2), Long.MAX_VALUE, gen), incidents);
    Phase closed = measure("gateway", gws, () -> Load.closedLoop(targets(gws, "prometheus"), 4, Duration.ofSeconds(2), Long.MAX_VALUE, gen), incidents);
    Phase ev = measure("gateway", gws, () -> Load.closedLoop(targets(gws, "kubernetes-event"), 4, Duration.ofSeconds(2), Long.MAX_VALUE, n -> event(incidents, incidents.pick(false), n)), incidents);
    incidents.stopOrchestrator();
    GoProtocolBaseline go = new GoProtocolBaseline(apiUri());
    tasks(4, 30, 50, n -> go.process(fingerprint((int) n), true));
    Phase base = measureBaseline("Go protocol", () -> tasks(4, 2, n -> go.process(fingerprint(ThreadLocalRandom.current().nextInt(50)), n % 10 == 0)));
    table(List.of(open, closed, ev, base), List.of("open, 50/s", "closed, c=4", "closed, c=4 (events)", "closed, c=4"), base);
    apiDetail(List.of(open, closed, ev, base));
    boolean ok = open.result.completed() > 0 && closed.result.byStatus().getOrDefault("202", 0L) > 0
        && ev.result.byStatus().getOrDefault("202", 0L) > 0 && base.result.completed() > 0
        && open.perSignal > 0 && base.perSignal > 0;
    if (!ok) {
      throw new IllegalStateException("smoke run failed: see the table above");
    }
    out("smoke: OK");
  }

  // ---------------------------------------------------------------- signals

  private static final Map<Integer, String> FINGERPRINTS = new ConcurrentHashMap<>();

  /** The Go fingerprint of workload w's Deployment: sha256("bench:Deployment:app-NNNN"). */
  static String fingerprint(int w) {
    return FINGERPRINTS.computeIfAbsent(w, k -> ApiServerMain.sha256(ApiServerMain.MANAGED_NS + ":Deployment:" + ApiServerMain.deploymentName(k)));
  }

  /**
   * Makes every body unique across all phases of a run (and across runs): the gateway answers a
   * byte-identical redelivery within two minutes from memory, without counting it or calling the
   * API, so a repeated body would not be a real signal.
   */
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private static final String RUN = Long.toHexString(System.currentTimeMillis());

  private static String unique() {
    return RUN + "-" + SEQUENCE.incrementAndGet();
  }

  static Load.Signal alert(Incidents incidents, int workload, long n) {
    return new Load.Signal() {
      @Override
      public HttpRequest request(long ignored, URI base) {
        String seq = unique();
        String body =
            "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"bench\",\"groupKey\":\"bench\",\"commonLabels\":{},"
                + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\",\"severity\":\"critical\","
                + "\"namespace\":\"bench\",\"pod\":\"" + ApiServerMain.podName(workload) + "\"},"
                + "\"annotations\":{\"summary\":\"Pod is crash looping\",\"bench-seq\":\"" + seq + "\"},"
                + "\"startsAt\":\"2026-01-01T00:00:00Z\"}]}";
        return post(base, body);
      }

      @Override
      public void answered(long seq, int status, String body) {
        incidents.answered(workload, status, body);
      }
    };
  }

  static Load.Signal event(Incidents incidents, int workload, long n) {
    return new Load.Signal() {
      @Override
      public HttpRequest request(long ignored, URI base) {
        String seq = unique();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String body =
            "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"type\":\"Warning\",\"reason\":\"BackOff\","
                + "\"message\":\"Back-off restarting failed container (" + seq + ")\","
                + "\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"bench\",\"name\":\"" + ApiServerMain.podName(workload) + "\"},"
                + "\"firstTimestamp\":\"" + now + "\",\"lastTimestamp\":\"" + now + "\",\"count\":" + SEQUENCE.get() + ","
                + "\"source\":{\"component\":\"kubelet\"}}";
        return post(base, body);
      }

      @Override
      public void answered(long seq, int status, String body) {
        incidents.answered(workload, status, body);
      }
    };
  }

  private static HttpRequest post(URI uri, String body) {
    return HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  // ---------------------------------------------------------------- measurement

  interface Body {
    Load.Result run() throws Exception;
  }

  interface Task {
    int run(long n) throws Exception;
  }

  /** One measured phase. */
  static final class Phase {
    String who;
    Load.Result result;
    Map<String, Long> apiCounts;
    double perSignal;
    double writesPerSecond;
    double cpuPer1k = Double.NaN;
    double apiCpuPer1k = Double.NaN;
    double heapMiB = Double.NaN;
    double rssMiB = Double.NaN;
    long created;
    long duplicates;
  }

  private Phase measure(String who, List<Gateway> gws, Body body, Incidents incidents) throws Exception {
    Thread.sleep(SETTLE.toMillis());
    awaitBreakerClosed(gws);
    resetCounts();
    long cpu0 = gws.stream().mapToLong(g -> cpuTicks(g.process.pid())).sum();
    long api0 = apiServerCpuTicks();
    long c0 = incidents.created.sum();
    long d0 = incidents.duplicates.sum();
    Load.Result r = body.run();
    long cpu1 = gws.stream().mapToLong(g -> cpuTicks(g.process.pid())).sum();
    long api1 = apiServerCpuTicks();
    Phase p = new Phase();
    p.who = gws.size() > 1 ? who + " ×" + gws.size() : who;
    p.result = r;
    p.created = incidents.created.sum() - c0;
    p.duplicates = incidents.duplicates.sum() - d0;
    p.apiCounts = counts("gateway");
    fill(p);
    p.cpuPer1k = (cpu1 - cpu0) / 100.0 / Math.max(1, r.completed()) * 1000;
    p.apiCpuPer1k = (api1 - api0) / 100.0 / Math.max(1, r.completed()) * 1000;
    double heap = 0;
    double rss = 0;
    for (Gateway g : gws) {
      heap += heapMiB(g);
      rss += rssMiB(g.process.pid());
    }
    p.heapMiB = heap;
    p.rssMiB = rss;
    System.out.printf("%s: %.0f signals/s %s%n", p.who, r.rate(), r.statuses());
    return p;
  }

  private Phase measureBaseline(String who, Body body) throws Exception {
    Thread.sleep(SETTLE.toMillis());
    resetCounts();
    long api0 = apiServerCpuTicks();
    long self0 = cpuTicks(ProcessHandle.current().pid());
    Load.Result r = body.run();
    long self1 = cpuTicks(ProcessHandle.current().pid());
    long api1 = apiServerCpuTicks();
    Phase p = new Phase();
    // the baseline client runs inside this JVM: its CPU (with the load generator's idle threads)
    p.cpuPer1k = (self1 - self0) / 100.0 / Math.max(1, r.completed()) * 1000;
    p.who = who + " (CPU: client JVM)";
    p.apiCpuPer1k = (api1 - api0) / 100.0 / Math.max(1, r.completed()) * 1000;
    p.result = r;
    p.created = r.byStatus().getOrDefault("201", 0L);
    p.duplicates = r.byStatus().getOrDefault("202", 0L);
    p.apiCounts = counts("baseline");
    fill(p);
    System.out.printf("%s: %.0f signals/s %s%n", p.who, r.rate(), r.statuses());
    return p;
  }

  private static void fill(Phase p) {
    long total = p.apiCounts.values().stream().mapToLong(Long::longValue).sum();
    long writes =
        p.apiCounts.entrySet().stream()
            .filter(e -> e.getKey().matches("(POST|PUT|PATCH|DELETE) .*"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    p.perSignal = (double) total / Math.max(1, p.result.completed());
    p.writesPerSecond = writes / p.result.seconds();
  }

  private static void discard(Phase p) {}

  /** Closed loop over arbitrary tasks (the baseline client), {@code connections} workers. */
  static Load.Result tasks(int workers, int seconds, Task task) throws InterruptedException {
    return tasks(workers, seconds, Long.MAX_VALUE, task);
  }

  static Load.Result tasks(int workers, int seconds, long max, Task task) throws InterruptedException {
    ConcurrentHistogram histogram = new ConcurrentHistogram(3);
    Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    AtomicLong counter = new AtomicLong();
    LongAdder completed = new LongAdder();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(workers);
    for (int c = 0; c < workers; c++) {
      Thread.ofPlatform().daemon().start(() -> {
        try {
          while (System.nanoTime() < deadline) {
            long n = counter.getAndIncrement();
            if (n >= max) {
              break;
            }
            long t0 = System.nanoTime();
            String key;
            try {
              key = Integer.toString(task.run(n));
            } catch (Exception e) {
              key = e.getClass().getSimpleName();
            }
            histogram.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
            completed.increment();
          }
        } finally {
          done.countDown();
        }
      });
    }
    done.await();
    Map<String, Long> snap = new TreeMap<>();
    statuses.forEach((k, v) -> snap.put(k, v.sum()));
    return new Load.Result(Math.min(counter.get(), max), completed.sum(), (System.nanoTime() - start) / 1e9, histogram, snap);
  }

  // ---------------------------------------------------------------- output

  private void section(String title) {
    out("");
    out("### " + title);
    out("");
    out("API server: " + apiServerDescription + ".");
    out("");
  }

  private void table(List<Phase> rows, String load, Phase base) {
    List<String> loads = new ArrayList<>();
    rows.forEach(r -> loads.add(load));
    table(rows, loads, base);
  }

  private void table(List<Phase> rows, List<String> loads, Phase base) {
    out(HEADER);
    for (int i = 0; i < rows.size(); i++) {
      Phase p = rows.get(i);
      Histogram h = p.result.latencyMicros();
      double newPct = 100.0 * p.created / Math.max(1, p.created + p.duplicates);
      out(String.format(
          "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.1f | %s | %.1f | %.2f | %.0f | %s | %.2f | %s | %s |",
          p.who, loads.get(i), p.result.rate(), ms(h, 50), ms(h, 95), ms(h, 99), h.getMaxValue() / 1000.0,
          p.result.errorsByStatus(), newPct, p.perSignal, p.writesPerSecond,
          Double.isNaN(p.cpuPer1k) ? "–" : String.format("%.2f", p.cpuPer1k),
          p.apiCpuPer1k,
          Double.isNaN(p.heapMiB) ? "–" : String.format("%.0f", p.heapMiB),
          Double.isNaN(p.rssMiB) ? "–" : String.format("%.0f", p.rssMiB)));
    }
    out("");
    if (base != null && base.result.rate() > 0) {
      out("Ratios to the Go-protocol baseline (same API server; the baseline runs closed loop with the same number of connections as the closed-loop gateway run):");
      out("");
      for (int i = 0; i < rows.size(); i++) {
        Phase p = rows.get(i);
        if (p == base) {
          continue;
        }
        out(String.format("- %s, %s: signals/s ×%.2f (closed-loop comparison is the meaningful one), API requests per signal ×%.2f (%.2f vs %.2f)",
            p.who, loads.get(i), p.result.rate() / base.result.rate(), p.perSignal / Math.max(1e-9, base.perSignal), p.perSignal, base.perSignal));
      }
      out("");
    }
  }

  private void apiDetail(List<Phase> rows) {
    out("API requests per signal by kind:");
    out("");
    for (Phase p : rows) {
      StringBuilder sb = new StringBuilder();
      long n = Math.max(1, p.result.completed());
      p.apiCounts.forEach((k, v) -> {
        if (!sb.isEmpty()) {
          sb.append(", ");
        }
        sb.append(String.format("%s %.3f", k, (double) v / n));
      });
      out("- " + p.who + " (" + p.result.completed() + " signals, " + p.created + " new): " + (sb.isEmpty() ? "none" : sb));
    }
    out("");
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static long median(List<Long> values) {
    List<Long> s = new ArrayList<>(values);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private void out(String line) {
    System.out.println(line);
    lines.add(line);
  }

  private void flush() {
    try {
      Files.createDirectories(report.toAbsolutePath().getParent());
      Files.writeString(report, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("cannot write " + report + ": " + e);
    }
  }

  // ---------------------------------------------------------------- processes

  record Gateway(Process process, int index, URI api, URI metrics) {}

  private URI apiUri() {
    return URI.create("http://127.0.0.1:" + API_PORT);
  }

  private static List<URI> targets(List<Gateway> gws, String route) {
    return gws.stream().map(g -> g.api().resolve("/api/v1/signals/" + route)).toList();
  }

  private void startApiServer(int workloads, int pods, int rrs, String heap, String... extra) throws Exception {
    Files.createDirectories(WORK);
    // The real kube-apiserver (testenv/) by default; the fabric8 mock with apiserver=mock, and
    // always for generated RemediationRequests (rrs), which only the mock serves.
    boolean real = args.getOrDefault("apiserver", "real").equals("real") && rrs == 0;
    if (!real && rrs > 0 && args.getOrDefault("apiserver", "real").equals("real")) {
      System.out.println("rrs=" + rrs + ": generated RemediationRequests need the mock API server");
    }
    apiServerDescription =
        real
            ? "real kube-apiserver and etcd (testenv/start) behind a counting relay"
            : "fabric8 mock (CRUD mode) with a counting dispatcher";
    List<String> cmd = new ArrayList<>(List.of(
        javaBin(), "-Xmx" + heap, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
        (real ? RealApiServerMain.class : ApiServerMain.class).getName(),
        "port=" + API_PORT, "countsPort=" + COUNTS_PORT,
        "kubeconfig=" + WORK.resolve("kubeconfig"),
        "crd=" + Path.of("deploy/crd/remediationrequests.kubernaut.ai.yaml").toAbsolutePath(),
        "workloads=" + workloads, "fillerPods=" + pods, "rrs=" + rrs));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    processes.add(p);
    apiServer = p;
    long t0 = System.nanoTime();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY")) {
        System.out.printf("API server: %s (%.1f s)%n", line, (System.nanoTime() - t0) / 1e9);
        break;
      }
      System.out.println("[api] " + line);
    }
    if (line == null) {
      throw new IllegalStateException("API server exited: " + p.waitFor());
    }
    BufferedReader rest = out;
    Thread.ofPlatform().daemon().start(() -> {
      try {
        while (rest.readLine() != null) {
          // drain
        }
      } catch (IOException ignored) {
        // process ended
      }
    });
  }

  private Gateway startGateway(int index, String heap, String mode) throws Exception {
    int base = 18080 + index * 10;
    Path config = WORK.resolve("gateway-" + index + ".yaml");
    Files.writeString(config, """
        server:
          listenAddr: "127.0.0.1:%d"
          healthAddr: "127.0.0.1:%d"
          metricsAddr: "127.0.0.1:%d"
        logging:
          level: WARN
          format: console
        datastorage:
          url: "http://127.0.0.1:%d"
          healthUrl: "http://127.0.0.1:%d/readyz"
        audit:
          spool:
            directory: "%s"
        auth:
          mode: none
        """.formatted(base, base + 1, base + 2, COUNTS_PORT, COUNTS_PORT, WORK.resolve("audit-spool-" + index)));
    Path gatewayJar = Path.of(args.getOrDefault("gatewayJar", "target/kubernaut-gateway.jar"));
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap));
    String opts = args.getOrDefault("gatewayOpts", "").replace("{i}", Integer.toString(index));
    if (!opts.isBlank()) {
      cmd.addAll(List.of(opts.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-jar", gatewayJar.toString(), "--config", config.toString()));
    if (mode == null) {
      cmd.addAll(List.of("--kubeconfig", WORK.resolve("kubeconfig").toString()));
    } else {
      cmd.add(mode);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(WORK.resolve("gateway-" + index + ".log").toFile());
    pb.environment().put("KUBERNAUT_CONTROLLER_NAMESPACE", ApiServerMain.CONTROLLER_NS);
    pb.environment().put("POD_NAME", "kubernaut-gateway-" + index);
    pb.environment().put("POD_NAMESPACE", ApiServerMain.CONTROLLER_NS);
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    processes.add(p);
    URI ready = URI.create("http://127.0.0.1:" + (base + 1) + "/readyz");
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("gateway exited " + p.exitValue() + "; see " + WORK.resolve("gateway-" + index + ".log"));
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return new Gateway(p, index, URI.create("http://127.0.0.1:" + base), URI.create("http://127.0.0.1:" + (base + 2) + "/metrics"));
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("gateway not ready in 120 s");
  }

  void stopAll() {
    if (args.getOrDefault("gatewayOpts", "").contains("FlightRecording")) {
      for (Process p : processes) {
        try {
          jcmd(p.pid(), "JFR.dump filename=" + WORK.resolve("profile-" + p.pid() + ".jfr"));
        } catch (Exception e) {
          // not a JVM with a recording
        }
      }
    }
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void resetCounts() throws Exception {
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + COUNTS_PORT + "/reset")).build(), HttpResponse.BodyHandlers.discarding());
  }

  private Map<String, Long> counts(String origin) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + COUNTS_PORT + "/counts")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3 && f[0].equals(origin)) {
        out.put(f[1], Long.parseLong(f[2]));
      }
    }
    return out;
  }

  private double heapMiB(Gateway g) throws Exception {
    String body = http.send(HttpRequest.newBuilder(g.metrics()).build(), HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum / (1024 * 1024);
  }

  /** After an overload the gateway's circuit breaker may be open (30 s): let it close first. */
  private void awaitBreakerClosed(List<Gateway> gws) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    for (Gateway g : gws) {
      while (System.nanoTime() < deadline) {
        String body = http.send(HttpRequest.newBuilder(g.metrics()).build(), HttpResponse.BodyHandlers.ofString()).body();
        boolean open = body.lines().anyMatch(l -> l.startsWith("gateway_circuit_breaker_state") && !l.trim().endsWith(" 0.0") && !l.trim().endsWith(" 0"));
        if (!open) {
          break;
        }
        System.out.println("waiting for gateway " + g.index() + "'s circuit breaker to close");
        Thread.sleep(2000);
      }
    }
  }

  /** The API server's CPU: its process and, for the real one, kube-apiserver and etcd beneath it. */
  private long apiServerCpuTicks() {
    return cpuTicks(apiServer.pid())
        + apiServer.descendants().mapToLong(p -> cpuTicks(p.pid())).sum();
  }

  static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command: state(3) ... utime(14) stime(15) -> indices 11, 12
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      return 0;
    }
  }

  static double rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return Double.NaN;
  }

  private static void jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    cmd.addAll(List.of(command.split(" ")));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor();
  }
}
