package ai.kubernaut.bench.jmh;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.intake.PayloadReader;
import ai.kubernaut.gateway.intake.SignalReader;
import ai.kubernaut.gateway.kube.BuiltInResourceKinds;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ParsedSignal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-signal CPU path without I/O: read an Alertmanager webhook as the gateway does (one parse,
 * the payload limits, the replay rule, the adapter with built-in resource kinds), and fingerprint
 * each signal's primary target. (In the gateway the fingerprint is of the owning workload after
 * owner resolution, which needs the API; the hashing cost is the same.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {

  @Param({"1", "20"})
  public int alerts;

  private SignalReader<?> reader;
  private byte[] body;
  private final Instant now = Instant.parse("2026-01-01T00:00:10Z");

  @Setup
  public void setup() {
    GatewayConfig.Limits limits = new GatewayConfig.Limits(1000, 128, 316, 16_384, 32, 65_536);
    reader =
        new SignalReader<>(
            new AlertmanagerSource(new BuiltInResourceKinds()),
            new PayloadReader(limits),
            limits,
            new GatewayConfig.Freshness(true, Duration.ofMinutes(5), Duration.ofMinutes(2)));
    StringBuilder sb = new StringBuilder();
    sb.append("{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"KubePodCrashLooping\\\"}\",")
        .append("\"truncatedAlerts\":0,\"status\":\"firing\",\"receiver\":\"kubernaut\",")
        .append("\"groupLabels\":{\"alertname\":\"KubePodCrashLooping\"},")
        .append(
            "\"commonLabels\":{\"alertname\":\"KubePodCrashLooping\",\"severity\":\"critical\",\"namespace\":\"bench\"},")
        .append(
            "\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\",\"alerts\":[");
    for (int i = 0; i < alerts; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(
              "{\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\",\"severity\":\"critical\",")
          .append("\"namespace\":\"bench\",\"pod\":\"app-")
          .append(String.format("%04d", i))
          .append(
              "-7d9f8b6c5-x2k4p\",\"container\":\"app\",\"job\":\"kube-state-metrics\",\"instance\":\"10.0.0.1:8080\"},")
          .append(
              "\"annotations\":{\"summary\":\"Pod bench/app is crash looping\",\"description\":\"Pod has restarted 5 times in the last 10 minutes.\",\"runbook_url\":\"https://runbooks.example/KubePodCrashLooping\"},")
          .append("\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",")
          .append("\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=x\",\"fingerprint\":\"")
          .append(String.format("%016x", i))
          .append("\"}");
    }
    sb.append("]}");
    body = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (fingerprints(null) != alerts) {
      throw new IllegalStateException(
          "the benchmark payload did not parse into " + alerts + " signals");
    }
  }

  @Benchmark
  public int parseNormaliseFingerprint(Blackhole bh) {
    return fingerprints(bh);
  }

  private int fingerprints(Blackhole bh) {
    List<ParsedSignal> parsed =
        ((SignalReader.Signals) reader.read(body, Optional.empty(), now)).signals();
    int n = 0;
    for (ParsedSignal p : parsed) {
      if (p instanceof ParsedSignal.Accepted accepted) {
        InboundSignal s = accepted.signal();
        Fingerprint fp = Fingerprint.of(s.clusterId(), s.primaryTarget());
        if (bh != null) {
          bh.consume(fp);
        }
        n++;
      }
    }
    return n;
  }
}
