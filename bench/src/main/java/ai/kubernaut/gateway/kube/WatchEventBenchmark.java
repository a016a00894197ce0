package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.DeduplicationStatus;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.RemediationRequestStatus;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Signal;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * One RemediationRequest watch event, a status write coming back as the real server sends it
 * (managed fields of two managers, an Alertmanager payload, about 5 KB), from the bytes of the
 * answer to the cache: the way fabric8's informer read it (each character appended to a
 * StringBuffer as its HTTP watch does, the event bound whole with the client's serialization and
 * converted to the typed object, then the cache's mapping) against the gateway's own watch (the
 * line split from the bytes, only the fields deduplication reads parsed). fabric8's hand-off to its
 * serial executor and the informer's queue are not in the first figure: it is a lower bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WatchEventBenchmark {

  private static final Instant NOW = Instant.parse("2026-12-06T17:00:00Z");

  private final RemediationRequestMapper mapper = new RemediationRequestMapper(new ObjectMapper());
  private final KubernetesSerialization serialization = GatewaySerialization.create();
  private IncidentIndex index;
  private final EventLines lines = new EventLines(StreamedWatch.MAX_EVENT_BYTES);
  private byte[] line;
  private int version;

  @Setup
  public void setup() {
    index = new IncidentIndex(mapper, new OwnWrites(Clock.systemUTC(), Duration.ofMinutes(5)));
    RemediationRequest rr = statusWritten();
    line =
        ("{\"type\":\"MODIFIED\",\"object\":" + serialization.asJson(rr) + "}\n")
            .getBytes(StandardCharsets.UTF_8);
    System.out.println("watch event: " + line.length + " bytes");
  }

  @Benchmark
  public Object informerWay() {
    StringBuffer buffer = new StringBuffer();
    CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(line));
    String message = null;
    for (char c : chars.array()) {
      if (c == '\n') {
        message = buffer.toString();
        buffer.setLength(0);
      } else {
        buffer.append(c);
      }
    }
    WatchEvent event = serialization.unmarshal(message, WatchEvent.class);
    Object object = event.getObject();
    RemediationRequest rr =
        object instanceof RemediationRequest typed
            ? typed
            : serialization.convertValue(object, RemediationRequest.class);
    return index.put(rr);
  }

  @Benchmark
  public Object gatewayWay() throws IOException {
    WatchedEvents events = new WatchedEvents(index, Integer.toString(version++));
    lines.feed(ByteBuffer.wrap(line), events::apply);
    return events.ended();
  }

  private RemediationRequest statusWritten() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "KubePodCrashLooping");
    labels.put("severity", "critical");
    labels.put("namespace", "bench");
    labels.put("pod", "app-0001-7d9f8b6c5-x2k4p");
    labels.put("container", "app");
    labels.put("job", "kube-state-metrics");
    String payload =
        "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"kubernaut\",\"alerts\":[{"
            + "\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\","
            + "\"severity\":\"critical\",\"namespace\":\"bench\",\"pod\":\"app-0001-7d9f8b6c5-x2k4p\","
            + "\"container\":\"app\",\"job\":\"kube-state-metrics\"},\"annotations\":{\"summary\":"
            + "\"Pod bench/app is crash looping\",\"description\":\"Pod has restarted 5 times in the"
            + " last 10 minutes.\"},\"startsAt\":\"2026-12-06T16:59:00Z\",\"endsAt\":"
            + "\"0001-01-01T00:00:00Z\",\"fingerprint\":\"4f6c2e1d9a8b7c6d\"}]}";
    InboundSignal inbound =
        new InboundSignal(
            "prometheus",
            "KubePodCrashLooping",
            "critical",
            "",
            List.of(ResourceRef.of("Pod", "bench", "app-0001-7d9f8b6c5-x2k4p")),
            labels,
            Map.of("summary", "Pod bench/app is crash looping"),
            NOW,
            NOW,
            payload);
    Signal signal = Signal.resolved(inbound, ResourceRef.of("Deployment", "bench", "app-0001"));
    RemediationRequest rr = mapper.newRequest(signal, 1, "kubernaut-system", NOW);
    rr.getMetadata().setResourceVersion("48213");
    rr.getMetadata().setUid("0b6c1d7e-7a1f-4c3e-9d2b-5f8e6a4c3b21");
    rr.getMetadata().setGeneration(1L);
    rr.getMetadata().setCreationTimestamp("2026-12-06T16:59:58Z");
    rr.getMetadata()
        .setManagedFields(
            List.of(
                managed("Update", "", "f:metadata", "f:spec"),
                managed("Update", "status", "f:status")));
    RemediationRequestStatus status = new RemediationRequestStatus();
    DeduplicationStatus dedup = new DeduplicationStatus();
    dedup.setFirstSeenAt("2026-12-06T16:59:58Z");
    dedup.setLastSeenAt("2026-12-06T17:00:00.123456Z");
    dedup.setOccurrenceCount(17);
    status.setDeduplication(dedup);
    rr.setStatus(status);
    return rr;
  }

  /** A managed-fields entry naming every field under {@code sections}, as the server records. */
  private static ManagedFieldsEntry managed(
      String operation, String subresource, String... sections) {
    ManagedFieldsEntry entry = new ManagedFieldsEntry();
    entry.setManager("kubernaut-gateway");
    entry.setOperation(operation);
    entry.setApiVersion("kubernaut.ai/v1alpha1");
    entry.setTime("2026-12-06T17:00:00Z");
    entry.setFieldsType("FieldsV1");
    if (!subresource.isEmpty()) {
      entry.setSubresource(subresource);
    }
    FieldsV1 fields = new FieldsV1();
    for (String section : sections) {
      Map<String, Object> names = new LinkedHashMap<>();
      for (String field :
          List.of(
              "f:signalFingerprint",
              "f:signalName",
              "f:severity",
              "f:signalType",
              "f:signalSource",
              "f:targetType",
              "f:firingTime",
              "f:receivedTime",
              "f:signalLabels",
              "f:signalAnnotations",
              "f:providerData",
              "f:originalPayload",
              "f:deduplication",
              "f:labels",
              "f:annotations")) {
        names.put(field, Map.of());
      }
      fields.setAdditionalProperty(section, names);
    }
    entry.setFieldsV1(fields);
    return entry;
  }
}
