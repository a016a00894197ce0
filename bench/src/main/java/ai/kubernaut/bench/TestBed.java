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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes of one run on loopback: the API server ({@link ApiServerMain} or {@link
 * RealApiServerMain}) and gateway jars, each in its own JVM, and what the bench reads from them
 * (API request counts, CPU, readiness).
 */
final class TestBed {

  static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "kubernaut-bench");
  static final int API_PORT = 18443;
  static final int COUNTS_PORT = 18444;

  /** One gateway process and its listeners. */
  record Gateway(Process process, int index, URI api, URI metrics) {}

  private final Map<String, String> args;
  private final HttpClient http = Load.newClient();
  private final List<Process> processes = new ArrayList<>();
  private Process apiServer;
  private String apiServerDescription = "none";

  TestBed(Map<String, String> args) {
    this.args = args;
  }

  URI apiUri() {
    return URI.create("http://127.0.0.1:" + API_PORT);
  }

  String apiServerDescription() {
    return apiServerDescription;
  }

  static List<URI> targets(List<Gateway> gws, Signals.SignalKind kind) {
    return gws.stream().map(g -> g.api().resolve("/api/v1/signals/" + kind.route)).toList();
  }

  void startApiServer(int workloads, int pods, int rrs, String heap, String... extra)
      throws Exception {
    Files.createDirectories(WORK);
    // The real kube-apiserver (testenv/) by default; the fabric8 mock with apiserver=mock, and
    // always for generated RemediationRequests (rrs), which only the mock serves.
    boolean wantReal = args.getOrDefault("apiserver", "real").equals("real");
    boolean real = wantReal && rrs == 0;
    if (wantReal && rrs > 0) {
      System.out.println("rrs=" + rrs + ": generated RemediationRequests need the mock API server");
    }
    apiServerDescription =
        real
            ? "real kube-apiserver and etcd (testenv/start) behind a counting relay"
            : "fabric8 mock (CRUD mode) with a counting dispatcher";
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin(),
                "-Xmx" + heap,
                "-XX:+UseParallelGC",
                "-cp",
                System.getProperty("java.class.path"),
                (real ? RealApiServerMain.class : ApiServerMain.class).getName(),
                "port=" + API_PORT,
                "countsPort=" + COUNTS_PORT,
                "kubeconfig=" + WORK.resolve("kubeconfig"),
                "crd="
                    + Path.of("deploy/crd/remediationrequests.kubernaut.ai.yaml").toAbsolutePath(),
                "workloads=" + workloads,
                "fillerPods=" + pods,
                "rrs=" + rrs));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    processes.add(p);
    apiServer = p;
    long t0 = System.nanoTime();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
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
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                while (out.readLine() != null) {
                  // drain
                }
              } catch (IOException ignored) {
                // process ended
              }
            });
  }

  /**
   * Starts gateway {@code index}; {@code mode} is null (the API server) or a flag such as
   * --embedded.
   */
  Gateway startGateway(int index, String heap, String mode) throws Exception {
    int base = 18080 + index * 10;
    Path config = WORK.resolve("gateway-" + index + ".yaml");
    Files.writeString(
        config,
        """
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
        """
            .formatted(
                base,
                base + 1,
                base + 2,
                COUNTS_PORT,
                COUNTS_PORT,
                WORK.resolve("audit-spool-" + index)));
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
    Path log = WORK.resolve("gateway-" + index + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBERNAUT_CONTROLLER_NAMESPACE", BenchCluster.CONTROLLER_NS);
    pb.environment().put("POD_NAME", "kubernaut-gateway-" + index);
    pb.environment().put("POD_NAMESPACE", BenchCluster.CONTROLLER_NS);
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    processes.add(p);
    URI ready = URI.create("http://127.0.0.1:" + (base + 1) + "/readyz");
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("gateway exited " + p.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return new Gateway(
              p,
              index,
              URI.create("http://127.0.0.1:" + base),
              URI.create("http://127.0.0.1:" + (base + 2) + "/metrics"));
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("gateway not ready in 120 s");
  }

  /** Stops one gateway (the others and the API server keep running). */
  void stop(Gateway gateway) throws InterruptedException {
    gateway.process().destroy();
    gateway.process().waitFor();
    processes.remove(gateway.process());
  }

  void stopAll() {
    if (args.getOrDefault("gatewayOpts", "").contains("FlightRecording")) {
      for (Process p : processes) {
        try {
          ProcessStats.jcmd(
              p.pid(), "JFR.dump filename=" + WORK.resolve("profile-" + p.pid() + ".jfr"));
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
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
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

  void resetCounts() throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + COUNTS_PORT + "/reset")).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** The API requests of {@code origin} since the last reset: "VERB resource" to count. */
  Map<String, Long> counts(String origin) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + COUNTS_PORT + "/counts"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3 && f[0].equals(origin)) {
        out.put(f[1], Long.parseLong(f[2]));
      }
    }
    return out;
  }

  /**
   * The API server's CPU: its process and, for the real one, kube-apiserver and etcd beneath it.
   */
  long apiServerCpuTicks() {
    return ProcessStats.cpuTicks(apiServer.pid())
        + apiServer.descendants().mapToLong(p -> ProcessStats.cpuTicks(p.pid())).sum();
  }
}
