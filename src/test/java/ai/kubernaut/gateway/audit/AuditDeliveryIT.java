package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.audit.spool.FaultyFiles;
import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.testing.FakeDataStorage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery from the spool to a fake DataStorage over real HTTP. */
class AuditDeliveryIT {

  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeDataStorage dataStorage;
  private Spool spool;
  private AuditDelivery delivery;
  private Path tokenFile;
  private final CountingTelemetry telemetry = new CountingTelemetry();
  private long deadLetterLimit = 1024 * 1024;
  private Duration timeout = Duration.ofSeconds(10);

  @BeforeEach
  void start() throws IOException {
    dataStorage = FakeDataStorage.start();
    tokenFile = Files.writeString(dir.resolve("token"), "token-1\n");
    spool = Spool.open(dir.resolve("spool"), 1024 * 1024, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws IOException {
    if (delivery != null) {
      delivery.close();
    }
    spool.close();
    dataStorage.close();
    assertThat(dataStorage.schemaProblems()).isEmpty();
  }

  @Test
  void eventsArriveOnceInOrderInBatchesWithTheTokenAndLeaveTheSpool() throws IOException {
    append(1, 12);
    startDelivery(5);

    await().atMost(BOUND).until(() -> numbers(dataStorage.accepted()).size() == 12);

    assertThat(numbers(dataStorage.accepted()))
        .isEqualTo(IntStream.rangeClosed(1, 12).boxed().toList());
    assertThat(dataStorage.requests())
        .allSatisfy(r -> assertThat(r.events()).hasSizeLessThanOrEqualTo(5));
    assertThat(dataStorage.requests())
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer token-1"));
    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(telemetry.sent.get()).isEqualTo(12);
  }

  @Test
  void aLoneEventIsSentOnceTheFlushIntervalPassed() throws IOException {
    startDelivery(100);
    append(1, 1);

    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 1);
    assertThat(dataStorage.requests()).hasSize(1);
  }

  @Test
  void outageIsRetriedAndEveryEventArrivesInOrderOnceDataStorageIsBack() throws IOException {
    dataStorage.down();
    startDelivery(4);
    append(1, 10);

    await().atMost(BOUND).until(() -> telemetry.failures.get() >= 3);
    assertThat(delivery.dataStorageProblem()).contains("unreachable");
    assertThat(spool.pending()).isEqualTo(10);
    append(11, 14);
    dataStorage.up();

    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 14);
    assertThat(numbers(dataStorage.accepted()))
        .isEqualTo(IntStream.rangeClosed(1, 14).boxed().toList());
    assertThat(delivery.dataStorageProblem()).isNull();
    await().atMost(BOUND).until(() -> spool.pending() == 0);
  }

  @Test
  void serverErrorsAreRetriedWithTheSameBatchUntilAccepted() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    dataStorage.answer(
        events -> calls.incrementAndGet() <= 3 ? (calls.get() == 2 ? 500 : 503) : 201);
    append(1, 3);
    startDelivery(10);

    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 3);

    assertThat(dataStorage.requests())
        .extracting(FakeDataStorage.Request::status)
        .containsExactly(503, 500, 503, 201);
    assertThat(dataStorage.requests())
        .allSatisfy(r -> assertThat(numbers(r.events())).containsExactly(1, 2, 3));
    assertThat(telemetry.failures.get()).isEqualTo(3);
  }

  @Test
  void tooManyRequestsAndForbiddenAreRetriedNotDeadLettered() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    dataStorage.answer(
        events ->
            switch (calls.incrementAndGet()) {
              case 1 -> 429;
              case 2 -> 403;
              case 3 -> 408;
              default -> 201;
            });
    append(1, 2);
    startDelivery(10);

    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 2);

    assertThat(dataStorage.requests())
        .extracting(FakeDataStorage.Request::status)
        .containsExactly(429, 403, 408, 201);
    assertThat(telemetry.deadLettered.get()).isZero();
    assertThat(Files.exists(deadLetterFile())).isFalse();
  }

  @Test
  void aRefusedEventIsIsolatedDeadLetteredAndTheRestDelivered() throws IOException {
    dataStorage.refuse(e -> SampleEvents.number(e) == 7, 400);
    append(1, 10);
    startDelivery(10);

    await().atMost(BOUND).until(() -> spool.pending() == 0);

    assertThat(numbers(dataStorage.accepted()).stream().distinct().toList())
        .containsExactly(1, 2, 3, 4, 5, 6, 8, 9, 10);
    assertThat(numbers(dataStorage.accepted()))
        .as("what followed 7 is sent once more, to see DataStorage accept after 7's second refusal")
        .containsExactly(1, 2, 3, 4, 5, 6, 8, 9, 10, 8, 9, 10);
    assertThat(dataStorage.answered(400)).isPositive();
    List<String> lines = Files.readAllLines(deadLetterFile());
    assertThat(lines).hasSize(1);
    JsonNode dead = JSON.readTree(lines.getFirst());
    assertThat(dead.path("status").asInt()).isEqualTo(400);
    assertThat(dead.path("error").asText()).contains("fake DataStorage answered 400");
    assertThat(SampleEvents.number(dead.path("event"))).isEqualTo(7);
    assertThat(telemetry.deadLettered.get()).isEqualTo(1);
    assertThat(telemetry.sent.get()).isEqualTo(9);
  }

  @Test
  void aDataStorageAnswering404ToEveryBatchKeepsTheEventsAndIsReportedNotUsable()
      throws IOException {
    dataStorage.answer(404);
    append(1, 6);
    startDelivery(10);

    await().atMost(BOUND).until(() -> telemetry.failures.get() >= 3);
    assertThat(spool.pending()).isEqualTo(6);
    assertThat(Files.exists(deadLetterFile())).isFalse();
    assertThat(telemetry.deadLettered.get()).isZero();
    assertThat(delivery.dataStorageReachable()).isFalse();
    assertThat(delivery.dataStorageProblem()).contains("404").contains("datastorage.url");
    assertThat(dataStorage.requests())
        .as("never split: no event can cause a 404")
        .allSatisfy(r -> assertThat(r.events()).hasSize(6));

    dataStorage.answer(201);
    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted())).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(delivery.dataStorageProblem()).isNull();
  }

  @Test
  void aDataStorageRefusingEveryEventOfABatchKeepsThemInsteadOfDeadLettering() throws IOException {
    dataStorage.answer(400);
    append(1, 4);
    startDelivery(10);

    await().atMost(BOUND).until(() -> telemetry.failures.get() >= 2);
    assertThat(spool.pending()).isEqualTo(4);
    assertThat(Files.exists(deadLetterFile())).isFalse();
    assertThat(delivery.dataStorageReachable()).isFalse();
    assertThat(delivery.dataStorageProblem()).contains("refused every one of 4");

    dataStorage.answer(201);
    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted()).stream().distinct().toList())
        .as("DataStorage may have accepted a later one first, while it turned back to accepting")
        .containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(telemetry.deadLettered.get()).isZero();
  }

  @Test
  void aFullDeadLetterFileKeepsRefusedEventsInTheSpoolUntilItIsMovedAway() throws IOException {
    dataStorage.refuse(e -> SampleEvents.number(e) == 2 || SampleEvents.number(e) == 4, 400);
    deadLetterLimit = 1500;
    append(1, 5);
    startDelivery(10);

    await()
        .atMost(BOUND)
        .until(() -> telemetry.deadLettered.get() == 1 && telemetry.failures.get() >= 2);
    assertThat(delivery.dataStorageProblem()).contains("dead-letter file");
    // 5 may have been accepted too, but it is not acknowledged before 4 has gone somewhere
    assertThat(numbers(dataStorage.accepted())).startsWith(1, 3).doesNotContain(4);
    assertThat(spool.pending()).as("4 and 5 wait").isEqualTo(2);
    assertThat(Files.readAllLines(deadLetterFile())).hasSize(1);

    Files.move(deadLetterFile(), dir.resolve("moved-away.jsonl"));
    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted())).containsSubsequence(1, 3, 5);
    assertThat(
            SampleEvents.number(
                JSON.readTree(Files.readAllLines(deadLetterFile()).getFirst()).path("event")))
        .isEqualTo(4);
  }

  @Test
  void theDeadLetterFileCountsTowardsTheSpoolLimit() throws IOException {
    Files.createDirectories(deadLetterFile().getParent());
    Files.write(deadLetterFile(), new byte[600 * 1024]);
    spool.countTowardsFull(
        () -> {
          try {
            return Files.size(deadLetterFile());
          } catch (IOException e) {
            return 0;
          }
        });
    assertThat(spool.full()).isFalse();
    Files.write(deadLetterFile(), new byte[1024 * 1024]);
    assertThat(spool.full()).isTrue();
    assertThat(spool.bytes()).isLessThan(spool.maxBytes());
  }

  @Test
  void aLineACrashCutShortDoesNotSpoilTheNextDeadLetter() throws IOException {
    Files.createDirectories(deadLetterFile().getParent());
    Files.writeString(deadLetterFile(), "{\"dead_lettered_at\":\"2026-");
    dataStorage.refuse(e -> SampleEvents.number(e) == 2, 400);
    append(1, 3);
    startDelivery(10);

    await().atMost(BOUND).until(() -> spool.pending() == 0);
    List<String> lines = Files.readAllLines(deadLetterFile());
    assertThat(lines).hasSize(2);
    assertThat(SampleEvents.number(JSON.readTree(lines.get(1)).path("event"))).isEqualTo(2);
  }

  @Test
  void anErrorInTheDeliveryThreadDoesNotEndDelivery() throws IOException {
    telemetry.failNextSent = true;
    startDelivery(1);
    append(1, 1);
    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 1);
    append(2, 3);

    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted())).containsExactly(1, 2, 3);
    assertThat(telemetry.failNextSent).as("the injected error was thrown").isFalse();
  }

  @Test
  void aTimedOutBatchIsSentAgainBeforeAnyLaterBatchSoOrderHoldsOnceCopiesAreRemoved()
      throws IOException {
    timeout = Duration.ofMillis(300);
    AtomicInteger calls = new AtomicInteger();
    dataStorage.answer(
        events -> {
          if (calls.incrementAndGet() == 1) {
            // DataStorage stores the first batch but answers after the gateway gave up on it
            try {
              Thread.sleep(1_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return 201;
        });
    append(1, 9);
    startDelivery(3);

    await().atMost(BOUND).until(() -> spool.pending() == 0 && dataStorage.requests().size() == 4);

    // The fake records a batch once it has decided its answer: the stale copy comes last.
    List<List<Integer>> batches =
        dataStorage.requests().stream().map(r -> numbers(r.events())).toList();
    assertThat(batches.getFirst()).as("sent again first").isEqualTo(List.of(1, 2, 3));
    assertThat(batches.getLast()).as("the timed-out copy").isEqualTo(List.of(1, 2, 3));
    assertThat(numbers(dataStorage.accepted()).stream().distinct().toList())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(telemetry.failures.get()).isPositive();
  }

  @Test
  void aDataStorageThatStartsRefusingEverythingMidBatchKeepsTheRestInsteadOfDeadLettering()
      throws IOException {
    AtomicInteger calls = new AtomicInteger();
    AtomicBoolean recovered = new AtomicBoolean();
    // 9 is a bad event: the batch is split; DataStorage takes the first half, then (a stricter
    // version rolling out) refuses everything until it is rolled back
    dataStorage.answer(
        events -> {
          int call = calls.incrementAndGet();
          if (recovered.get()) {
            return events.stream().anyMatch(e -> SampleEvents.number(e) == 9) ? 400 : 201;
          }
          return call == 2 ? 201 : 400;
        });
    append(1, 10);
    startDelivery(10);

    await().atMost(BOUND).until(() -> telemetry.failures.get() >= 2 || spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted())).containsExactly(1, 2, 3, 4, 5);
    assertThat(telemetry.deadLettered.get()).isZero();
    assertThat(Files.exists(deadLetterFile())).isFalse();
    assertThat(spool.pending()).isEqualTo(5);
    assertThat(delivery.dataStorageReachable()).isFalse();
    assertThat(delivery.dataStorageProblem()).contains("refused every one of 5");

    recovered.set(true);
    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted()).stream().distinct().toList())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 10);
    assertThat(telemetry.deadLettered.get()).isEqualTo(1);
    assertThat(
            SampleEvents.number(
                JSON.readTree(Files.readAllLines(deadLetterFile()).getFirst()).path("event")))
        .isEqualTo(9);
  }

  @Test
  void anAnswerWhoseBodyNeverArrivesTimesOutAndTheBatchIsSentAgain() throws IOException {
    timeout = Duration.ofSeconds(1);
    dataStorage.stallBodies(1);
    append(1, 3);
    startDelivery(10);

    await().atMost(BOUND).until(() -> spool.pending() == 0);

    assertThat(dataStorage.stalledBodies()).as("the first answer stalled").isEqualTo(1);
    assertThat(dataStorage.requests()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(dataStorage.requests())
        .allSatisfy(r -> assertThat(numbers(r.events())).containsExactly(1, 2, 3));
    assertThat(telemetry.failures.get()).isPositive();
  }

  @Test
  void aRedirectIsAConfigurationProblemThatKeepsTheEventsAndNamesTheLocation() throws IOException {
    dataStorage.answer(308).location("https://datastorage.example/api/v1/audit/events/batch");
    append(1, 3);
    startDelivery(10);

    await().atMost(BOUND).until(() -> telemetry.failures.get() >= 2);
    assertThat(dataStorage.answered(308)).as("DataStorage redirected").isPositive();
    assertThat(spool.pending()).isEqualTo(3);
    assertThat(Files.exists(deadLetterFile())).isFalse();
    assertThat(delivery.dataStorageReachable()).isFalse();
    assertThat(delivery.dataStorageProblem())
        .contains("308")
        .contains("https://datastorage.example/api/v1/audit/events/batch")
        .contains("datastorage.url");
    assertThat(dataStorage.requests())
        .as("never split: no event causes a redirect")
        .allSatisfy(r -> assertThat(r.events()).hasSize(3));

    dataStorage.answer(201);
    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted())).containsExactly(1, 2, 3);
  }

  @Test
  void theDeadLetterFileNeverGrowsPastItsLimitEvenForALongRefusal() throws IOException {
    dataStorage.refuse(e -> SampleEvents.number(e) == 2, 400).refusalDetail("x".repeat(3000));
    deadLetterLimit = SampleEvents.events(2, 2).getFirst().length + 1024;
    append(1, 3);
    startDelivery(10);

    await()
        .atMost(BOUND)
        .until(
            () ->
                spool.pending() == 0
                    || String.valueOf(delivery.dataStorageProblem()).contains("dead-letter file"));
    assertThat(delivery.deadLetterBytes()).isLessThanOrEqualTo(deadLetterLimit);
    assertThat(dataStorage.answered(400)).as("event 2 was refused").isPositive();
    assertThat(delivery.dataStorageProblem()).contains("dead-letter file");
    assertThat(telemetry.deadLettered.get()).isZero();
    assertThat(spool.pending()).as("2 and 3 wait").isEqualTo(2);
  }

  @Test
  void tokenIsReadAgainAfterA401EvenWhenTheFileLooksUnchanged() throws IOException {
    FileTime modified = Files.getLastModifiedTime(tokenFile);
    dataStorage.requireToken("token-2");
    append(1, 2);
    startDelivery(10);
    await().atMost(BOUND).until(() -> dataStorage.answered(401) >= 1);
    // The rotated token has the same length and modification time: only the 401 makes it read.
    Files.writeString(tokenFile, "token-2\n");
    Files.setLastModifiedTime(tokenFile, modified);

    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 2);

    assertThat(dataStorage.requests().getFirst().authorization()).isEqualTo("Bearer token-1");
    assertThat(dataStorage.requests().getLast().authorization()).isEqualTo("Bearer token-2");
    assertThat(dataStorage.requests().getLast().status()).isEqualTo(201);
  }

  @Test
  void tokenIsReadAgainWhenTheFileChanges() throws IOException {
    startDelivery(10);
    append(1, 1);
    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 1);

    Files.writeString(tokenFile, "token-rotated\n");
    Files.setLastModifiedTime(tokenFile, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    append(2, 2);
    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 2);

    assertThat(dataStorage.requests())
        .extracting(FakeDataStorage.Request::authorization)
        .containsExactly("Bearer token-1", "Bearer token-rotated");
    assertThat(dataStorage.answered(401)).isZero();
  }

  @Test
  void slowAnswersWithinTheTimeoutStillDeliver() throws IOException {
    dataStorage.slow(Duration.ofMillis(300));
    append(1, 3);
    startDelivery(2);

    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 3);
    assertThat(telemetry.failures.get()).isZero();
  }

  @Test
  void eventsLeftByAnEarlierRunAreDeliveredAfterARestart() throws IOException {
    dataStorage.down();
    startDelivery(10);
    append(1, 5);
    await().atMost(BOUND).until(() -> telemetry.failures.get() >= 1);
    delivery.close();
    spool.close();

    spool = Spool.open(dir.resolve("spool"), 1024 * 1024, Clock.systemUTC());
    assertThat(spool.pending()).isEqualTo(5);
    dataStorage.up();
    startDelivery(10);

    await().atMost(BOUND).until(() -> dataStorage.accepted().size() == 5);
    assertThat(numbers(dataStorage.accepted())).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void idleGatewayLearnsDataStorageStateFromItsHealthEndpoint() {
    startDelivery(10);
    await().atMost(BOUND).until(() -> delivery.dataStorageProblem() == null);

    assertThat(delivery.dataStorageReachable()).isTrue();
  }

  @Test
  void aSpoolThatCannotBeReadForAMomentHoldsDeliveryAndIsReportedWithoutLosingEvents()
      throws IOException {
    spool.close();
    FaultyFiles files = new FaultyFiles();
    spool = Spool.open(dir.resolve("spool"), 1024 * 1024, Clock.systemUTC(), files);
    append(1, 5);
    Path segment;
    try (Stream<Path> list = Files.list(dir.resolve("spool"))) {
      segment =
          list.filter(f -> f.getFileName().toString().startsWith("segment-")).toList().getLast();
    }
    files.unreadable(segment, 0, Long.MAX_VALUE);
    startDelivery(10);

    await()
        .atMost(BOUND)
        .until(
            () ->
                Optional.ofNullable(delivery.dataStorageProblem())
                    .orElse("")
                    .contains("cannot read"));
    assertThat(files.injected()).as("the reads failed").isPositive();
    assertThat(telemetry.failures.get()).as("retried").isPositive();
    assertThat(dataStorage.accepted()).isEmpty();
    assertThat(spool.eventsLost()).isZero();

    files.readable(segment);
    await().atMost(BOUND).until(() -> spool.pending() == 0);
    assertThat(numbers(dataStorage.accepted())).containsExactly(1, 2, 3, 4, 5);
    assertThat(spool.eventsLost()).isZero();
    assertThat(delivery.dataStorageProblem()).isNull();
  }

  @Test
  void aConflictAnsweredForOneEventForAMomentIsRetriedNotDeadLettered() throws IOException {
    AtomicLong firstSeen = new AtomicLong();
    dataStorage.answer(
        events -> {
          if (events.stream().noneMatch(e -> SampleEvents.number(e) == 7)) {
            return 201;
          }
          firstSeen.compareAndSet(0, System.nanoTime());
          // a row lock held for 300 ms: "not now", not "never"
          return System.nanoTime() - firstSeen.get() < 300_000_000L ? 409 : 201;
        });
    append(1, 10);
    startDelivery(10);

    await().atMost(BOUND).until(() -> spool.pending() == 0);

    assertThat(dataStorage.answered(409)).as("the conflict happened").isPositive();
    assertThat(telemetry.deadLettered.get()).isZero();
    assertThat(numbers(dataStorage.accepted())).contains(7);
  }

  @Test
  void anEventRefusedAloneIsSentAloneAgainOnlyABackoffPeriodLater() throws IOException {
    List<Long> soloAttemptsOf7 = new CopyOnWriteArrayList<>();
    dataStorage.answer(
        events -> {
          if (events.stream().noneMatch(e -> SampleEvents.number(e) == 7)) {
            return 201;
          }
          if (events.size() == 1) {
            soloAttemptsOf7.add(System.nanoTime());
          }
          // refused for a moment shorter than the longest backoff (200 ms here)
          boolean refused =
              soloAttemptsOf7.isEmpty()
                  || System.nanoTime() - soloAttemptsOf7.getFirst() < 150_000_000L;
          return refused ? 400 : 201;
        });
    append(1, 10);
    startDelivery(10);

    await().atMost(BOUND).until(() -> spool.pending() == 0);

    assertThat(dataStorage.answered(400)).as("the refusal happened").isPositive();
    assertThat(telemetry.deadLettered.get()).isZero();
    assertThat(soloAttemptsOf7).hasSizeGreaterThanOrEqualTo(2);
    assertThat(soloAttemptsOf7.get(1) - soloAttemptsOf7.get(0))
        .as("the second solo attempt waits out the backoff period")
        .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
  }

  private void startDelivery(int batchSize) {
    DataStorageClient client =
        new DataStorageClient(
            URI.create(dataStorage.url()),
            URI.create(dataStorage.url() + "/readyz"),
            timeout,
            new ServiceAccountToken(tokenFile),
            Optional.empty(),
            io.opentelemetry.api.trace.TracerProvider.noop().get("test"));
    delivery =
        new AuditDelivery(
            spool,
            client,
            new DeadLetterFile(deadLetterFile(), JSON, Clock.systemUTC(), deadLetterLimit),
            new AuditDelivery.Settings(
                batchSize,
                Duration.ofMillis(50),
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                Duration.ofSeconds(1)),
            Clock.systemUTC(),
            telemetry);
    delivery.start();
  }

  private Path deadLetterFile() {
    return dir.resolve("spool").resolve(AuditDelivery.DEAD_LETTER_FILE);
  }

  private void append(int from, int to) throws IOException {
    spool.awaitDurable(spool.append(SampleEvents.events(from, to)));
  }

  private static List<Integer> numbers(List<JsonNode> events) {
    return events.stream().map(SampleEvents::number).toList();
  }

  private static final class CountingTelemetry implements AuditTelemetry {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger deadLettered = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    volatile boolean failNextSent;

    @Override
    public void spooled(int events) {}

    @Override
    public void dropped(int events) {}

    @Override
    public void sent(List<Duration> latencies) {
      if (failNextSent) {
        failNextSent = false;
        throw new InternalError("injected into the delivery thread");
      }
      sent.addAndGet(latencies.size());
    }

    @Override
    public void deadLettered(int events) {
      deadLettered.addAndGet(events);
    }

    @Override
    public void deliveryFailed() {
      failures.incrementAndGet();
    }
  }
}
