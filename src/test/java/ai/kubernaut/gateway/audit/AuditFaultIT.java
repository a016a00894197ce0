package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.audit.spool.FaultyFiles;
import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.AuditNotRecordedException;
import ai.kubernaut.gateway.testing.FakeDataStorage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.TracerProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail in process, with real files and a fake DataStorage over HTTP, through rounds of
 * concurrent requests in which a write or an fsync of the spool fails at a random point (then the
 * gateway is "restarted": the spool opened again), while DataStorage first answers 404 to every
 * batch and then recovers. Every event of every request that returned normally (a 2xx) arrives, and
 * after removing copies with the same id, exactly once.
 */
@Tag("slow")
class AuditFaultIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WRITERS = 4;
  private static final int REQUESTS_PER_WRITER = 60;

  @TempDir Path dir;

  @Test
  void everyEventOfEveryAnsweredRequestArrivesOnceDespiteDiskErrorsAndA404DataStorage()
      throws Exception {
    long seed = Long.getLong("audit.fault.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println(
        "audit fault suite seed " + seed + " (replay: -Daudit.fault.seed=" + seed + ")");
    Set<Integer> answered = ConcurrentHashMap.newKeySet();
    Set<Integer> failed = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    Files.writeString(dir.resolve("token"), "token");
    int faults = 0;
    try (FakeDataStorage dataStorage = FakeDataStorage.start()) {
      dataStorage.answer(404);
      for (int round = 0; round < 4; round++) {
        if (round == 2) {
          dataStorage.answer(201);
        }
        FaultyFiles files = new FaultyFiles();
        Spool spool = Spool.open(dir.resolve("spool"), 64 * 1024, Clock.systemUTC(), files);
        AuditDelivery delivery = startDelivery(spool, dataStorage);
        SpooledAuditTrail trail =
            new SpooledAuditTrail(
                spool,
                new AuditEventFactory(JSON, Clock.systemUTC()),
                JSON,
                GatewayConfig.OnFull.REJECT,
                AuditTelemetry.none());
        boolean faulty = round < 3;
        // The round's requests are numbered from next.get() + 1. Past the first WRITERS, at least
        // one request has returned (its events durable) before the fault: something to deliver.
        int faultAt = next.get() + WRITERS + 1 + random.nextInt(WRITERS * REQUESTS_PER_WRITER / 2);
        long notFoundBefore = dataStorage.answered(404);
        boolean failWrite = random.nextBoolean();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<?>> done = new ArrayList<>();
          for (int w = 0; w < WRITERS; w++) {
            done.add(
                writers.submit(
                    () -> {
                      for (int i = 0; i < REQUESTS_PER_WRITER; i++) {
                        int n = next.incrementAndGet();
                        if (faulty && n == faultAt) {
                          if (failWrite) {
                            files.failNextWrite();
                          } else {
                            files.failNextForce();
                          }
                        }
                        try {
                          trail.record(SampleEvents.repeat(n), SampleEvents.context());
                          answered.add(n);
                        } catch (AuditNotRecordedException e) {
                          failed.add(n);
                        }
                      }
                      return null;
                    }));
          }
          for (Future<?> f : done) {
            f.get();
          }
        }
        if (faulty) {
          assertThat(files.injected()).as("the fault of round %d happened", round).isEqualTo(1);
          assertThat(spool.failure()).isPresent();
          faults++;
        }
        if (round < 2) {
          await()
              .alias("DataStorage answered 404 to a batch of round " + round)
              .atMost(Duration.ofSeconds(30))
              .until(() -> dataStorage.answered(404) > notFoundBefore);
        }
        if (!faulty) {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> delivered(dataStorage).keySet().containsAll(answered));
        }
        delivery.close();
        spool.close();
      }

      assertThat(faults).isEqualTo(3);
      assertThat(failed).as("requests failed by the disk errors").isNotEmpty();
      Map<Integer, Integer> copies = delivered(dataStorage);
      assertThat(copies.keySet()).containsAll(answered);
      assertThat(copies.keySet()).isSubsetOf(union(answered, failed));
      assertThat(copies.values()).as("one id per event, however often sent").containsOnly(1);
      assertThat(dataStorage.answered(404)).isPositive();
      assertThat(dataStorage.schemaProblems()).isEmpty();
    }
  }

  /** Events DataStorage accepted, by the number of their request, counted once per id. */
  private static Map<Integer, Integer> delivered(FakeDataStorage dataStorage) {
    Map<String, Integer> byId = new HashMap<>();
    for (JsonNode event : dataStorage.accepted()) {
      byId.put(id(event), SampleEvents.number(event));
    }
    Map<Integer, Integer> copies = new HashMap<>();
    byId.values().forEach(n -> copies.merge(n, 1, Integer::sum));
    return copies;
  }

  /** What identifies an audit event: its type, correlation id and (unique) timestamp. */
  static String id(JsonNode event) {
    return event.path("event_type").asText()
        + "|"
        + event.path("correlation_id").asText()
        + "|"
        + event.path("event_timestamp").asText();
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private AuditDelivery startDelivery(Spool spool, FakeDataStorage dataStorage) {
    DataStorageClient client =
        new DataStorageClient(
            URI.create(dataStorage.url()),
            URI.create(dataStorage.url() + "/readyz"),
            Duration.ofSeconds(10),
            new ServiceAccountToken(dir.resolve("token")),
            Optional.empty(),
            TracerProvider.noop().get("test"));
    AuditDelivery delivery =
        new AuditDelivery(
            spool,
            client,
            new DeadLetterFile(
                spool.directory().resolve(AuditDelivery.DEAD_LETTER_FILE),
                JSON,
                Clock.systemUTC(),
                spool.maxBytes() / 4),
            new AuditDelivery.Settings(
                7,
                Duration.ofMillis(20),
                Duration.ofMillis(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(1)),
            Clock.systemUTC(),
            AuditTelemetry.none());
    delivery.start();
    return delivery;
  }
}
