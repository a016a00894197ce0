package ai.kubernaut.bench.jmh;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.audit.AuditEvent;
import ai.kubernaut.gateway.audit.AuditEventFactory;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.intake.Answer;
import ai.kubernaut.gateway.intake.OutcomeLog;
import ai.kubernaut.gateway.intake.PayloadReader;
import ai.kubernaut.gateway.intake.SignalIntake;
import ai.kubernaut.gateway.intake.SignalReader;
import ai.kubernaut.gateway.kube.BuiltInResourceKinds;
import ai.kubernaut.gateway.metrics.GatewayMetrics;
import ai.kubernaut.gateway.signal.CreateWindow;
import ai.kubernaut.gateway.signal.Fingerprint;
import ai.kubernaut.gateway.signal.GroupCommitQueue;
import ai.kubernaut.gateway.signal.IncidentClaim;
import ai.kubernaut.gateway.signal.IncidentRecorder;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.IncidentStore;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.signal.SignalObserver;
import ai.kubernaut.gateway.signal.SignalProcessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's whole per-signal path for a duplicate, without I/O: request bytes → one parse →
 * payload limits and replay rule → adapter → owner (the pod's own Deployment, as a cache hit would
 * give it) → fingerprint → dedup decision against the active incident → occurrence count → audit
 * events built and serialised → metrics and outcome log → answer → response bytes. What it leaves
 * out is I/O: the status PATCH (an in-memory store stands in), the spool's append and fsync, and
 * HTTP. Every body is distinct (a counter in an annotation), as a storm's bodies are, so the
 * redelivery memory records each and never replays. The JSON mapper is built as the gateway builds
 * its own. Run with {@code -prof gc} for the bytes allocated per signal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DuplicatePathBenchmark {

  private static final String COUNTER_SLOT = "0000000000000000";

  private final ObjectMapper json =
      new ObjectMapper(
          JsonFactory.builder()
              .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
              .build());
  private SignalIntake intake;
  private SignalReader<?> reader;
  private byte[] body;
  private int counterAt;
  private long counter;
  private AuditEventFactory auditEvents;

  @Setup
  public void setup() {
    Clock clock = Clock.systemUTC();
    GatewayConfig.Limits limits = new GatewayConfig.Limits(1000, 128, 316, 16_384, 32, 65_536);
    reader =
        new SignalReader<>(
            new AlertmanagerSource(new BuiltInResourceKinds()),
            new PayloadReader(limits),
            limits,
            new GatewayConfig.Freshness(true, Duration.ofMinutes(5), Duration.ofMinutes(2)));
    auditEvents = new AuditEventFactory(json, clock);
    GatewayMetrics metrics = new GatewayMetrics();
    SignalProcessor processor =
        new SignalProcessor(
            signal ->
                new ai.kubernaut.gateway.signal.ResourceRef(
                    "Deployment", "app", "bench", "apps/v1"),
            owner -> true,
            new IncidentRecorder(
                new OneActiveIncident(clock),
                clock,
                new IncidentRecorder.GroupCommit(
                    Runnable::run, 100, GroupCommitQueue.pauseFor(Duration.ZERO), n -> {})),
            this::serialiseAudit,
            SignalObserver.all(List.of(metrics, new OutcomeLog())),
            clock,
            "",
            SignalProcessor.ResolvedAlerts.IGNORE);
    intake = new SignalIntake(processor, clock, metrics);
    String text =
        "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"KubePodCrashLooping\\\"}\","
            + "\"truncatedAlerts\":0,\"status\":\"firing\",\"receiver\":\"kubernaut\","
            + "\"groupLabels\":{\"alertname\":\"KubePodCrashLooping\"},"
            + "\"commonLabels\":{\"alertname\":\"KubePodCrashLooping\",\"severity\":\"critical\","
            + "\"namespace\":\"bench\"},\"commonAnnotations\":{},"
            + "\"externalURL\":\"http://alertmanager:9093\",\"alerts\":[{\"status\":\"firing\","
            + "\"labels\":{\"alertname\":\"KubePodCrashLooping\",\"severity\":\"critical\","
            + "\"namespace\":\"bench\",\"pod\":\"app-7d9f8b6c5-x2k4p\",\"container\":\"app\","
            + "\"job\":\"kube-state-metrics\",\"instance\":\"10.0.0.1:8080\"},"
            + "\"annotations\":{\"summary\":\"Pod bench/app is crash looping\",\"seq\":\""
            + COUNTER_SLOT
            + "\"},\"startsAt\":\""
            + Instant.now().minusSeconds(60)
            + "\",\"endsAt\":\"0001-01-01T00:00:00Z\","
            + "\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=x\","
            + "\"fingerprint\":\"0123456789abcdef\"}]}";
    body = text.getBytes(StandardCharsets.UTF_8);
    counterAt = text.indexOf(COUNTER_SLOT);
    int status = duplicate().length;
    if (status == 0) {
      throw new IllegalStateException("the duplicate path gave no answer");
    }
  }

  @Benchmark
  public byte[] duplicate() {
    long n = ++counter;
    for (int i = 15; i >= 0; i--) {
      body[counterAt + i] = (byte) Character.forDigit((int) (n & 0xf), 16);
      n >>>= 4;
    }
    Instant now = Instant.now();
    Answer answer =
        intake.accept(
            new SignalIntake.Request(
                reader,
                body,
                Optional.empty(),
                now,
                RequestContext.unauthenticated("bench", "prometheus", now.plusSeconds(30))));
    if (!(answer instanceof Answer.Body b) || b.status() != 202) {
      throw new IllegalStateException("expected a duplicate, got " + answer);
    }
    try {
      return json.writeValueAsBytes(b.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void serialiseAudit(ai.kubernaut.gateway.signal.Outcome outcome, RequestContext context) {
    for (AuditEvent event : auditEvents.eventsFor(outcome, context)) {
      try {
        json.writeValueAsBytes(event);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Every fingerprint has one active incident, whose count each write raises. */
  private static final class OneActiveIncident implements IncidentStore {
    private final Clock clock;
    private final ConcurrentHashMap<String, IncidentState> incidents = new ConcurrentHashMap<>();

    OneActiveIncident(Clock clock) {
      this.clock = clock;
    }

    @Override
    public List<IncidentState> find(Fingerprint fingerprint) {
      return List.of(
          incidents.computeIfAbsent(
              fingerprint.value(),
              fp ->
                  new IncidentState(
                      "rr-" + fp.substring(0, 12) + "-1",
                      "kubernaut-system",
                      "1",
                      fp,
                      1,
                      clock.instant(),
                      "Processing",
                      "",
                      Optional.empty(),
                      Optional.of(OccurrenceCount.first(1, clock.instant())))));
    }

    @Override
    public List<IncidentState> readThrough(Fingerprint fingerprint, Instant deadline) {
      return find(fingerprint);
    }

    @Override
    public IncidentState read(IncidentState incident, Instant deadline) {
      return incidents.get(incident.fingerprint());
    }

    @Override
    public IncidentClaim readClaim(Fingerprint fingerprint, int highestKnown, Instant deadline) {
      throw new UnsupportedOperationException("a duplicate takes no claim");
    }

    @Override
    public IncidentClaim claim(
        Fingerprint fingerprint, IncidentClaim seen, int sequence, Instant deadline) {
      throw new UnsupportedOperationException("a duplicate takes no claim");
    }

    @Override
    public IncidentState create(
        Signal signal, int sequence, Instant deadline, CreateWindow window) {
      throw new UnsupportedOperationException("a duplicate opens no incident");
    }

    @Override
    public IncidentState writeOccurrences(
        IncidentState incident, OccurrenceCount occurrences, Instant deadline) {
      IncidentState written =
          new IncidentState(
              incident.name(),
              incident.namespace(),
              Long.toString(Long.parseLong(incident.resourceVersion()) + 1),
              incident.fingerprint(),
              incident.sequence(),
              incident.createdAt(),
              incident.phase(),
              incident.outcome(),
              incident.nextAllowedExecution(),
              Optional.of(occurrences));
      incidents.put(incident.fingerprint(), written);
      return written;
    }
  }
}
