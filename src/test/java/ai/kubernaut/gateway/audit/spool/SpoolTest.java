package ai.kubernaut.gateway.audit.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  private static final long MIB = 1024 * 1024;

  @TempDir Path dir;
  private final List<Spool> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws IOException {
    for (Spool spool : opened) {
      spool.close();
    }
  }

  @Test
  void durableRecordsAreReadBackInAppendOrder() throws IOException {
    Spool spool = open(MIB);

    durable(spool, "a", "b");
    durable(spool, "c");

    assertThat(texts(spool.peek(10, MIB))).containsExactly("a", "b", "c");
    assertThat(spool.peek(10, MIB)).extracting(SpoolRecord::seq).containsExactly(1L, 2L, 3L);
    assertThat(spool.pending()).isEqualTo(3);
  }

  @Test
  void recordsAreNotHandedToTheReaderBeforeTheyAreDurable() throws IOException {
    Spool spool = open(MIB);

    long seq = spool.append(payloads("a"));

    assertThat(spool.peek(10, MIB)).isEmpty();
    assertThat(spool.pending()).isZero();
    spool.awaitDurable(seq);
    assertThat(texts(spool.peek(10, MIB))).containsExactly("a");
  }

  @Test
  void peekIsBoundedByCountAndBytesButAlwaysReturnsOneRecord() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "aaaa", "bbbb", "cccc");

    assertThat(texts(spool.peek(2, MIB))).containsExactly("aaaa", "bbbb");
    assertThat(texts(spool.peek(10, 9))).containsExactly("aaaa", "bbbb");
    assertThat(texts(spool.peek(10, 1))).containsExactly("aaaa");
  }

  @Test
  void waitersThatArriveTogetherShareOneForce() throws Exception {
    Spool spool = open(MIB);
    int writers = 32;
    long before = spool.forces();
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      seqs.add(spool.append(payloads("event-" + i)));
    }
    CyclicBarrier start = new CyclicBarrier(writers);

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (long seq : seqs) {
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  spool.awaitDurable(seq);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }

    assertThat(spool.forces() - before).isEqualTo(1);
    assertThat(spool.pending()).isEqualTo(writers);
  }

  @Test
  void concurrentWritersCauseFarFewerForcesThanAppends() throws Exception {
    Spool spool = open(64 * MIB);
    int writers = 64;
    int perWriter = 20;
    long before = spool.forces();
    CountDownLatch start = new CountDownLatch(1);

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perWriter; i++) {
                    spool.awaitDurable(spool.append(payloads(writer + "-" + i)));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }

    long forces = spool.forces() - before;
    int appends = writers * perWriter;
    System.out.printf(
        "group commit: %d durable appends by %d writers, %d forces%n", appends, writers, forces);
    assertThat(spool.pending()).isEqualTo(appends);
    assertThat(forces).isLessThan(appends / 4);
  }

  @Test
  void undeliveredRecordsSurviveAReopenAndDeliveredOnesDoNot() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c");
    List<SpoolRecord> first = spool.peek(2, MIB);
    spool.acknowledge(first.getLast().seq());
    spool.close();
    opened.remove(spool);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("c");
    assertThat(reopened.pending()).isEqualTo(1);
    durable(reopened, "d");
    assertThat(reopened.peek(10, MIB)).extracting(SpoolRecord::seq).containsExactly(3L, 4L);
  }

  @Test
  void tornLastRecordIsSkippedWithoutLosingEarlierRecords() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c");
    spool.close();
    opened.remove(spool);
    Path segment = onlySegment();
    long intact = Files.size(segment);
    // A crash in the middle of writing record 4: its header promises 100 bytes, 10 arrived.
    appendBytes(segment, header(100, 4), new byte[10]);

    Spool reopened = open(MIB);

    assertThat(reopened.tornBytesSkipped()).isEqualTo(Files.size(segment) - intact).isPositive();
    assertThat(texts(reopened.peek(10, MIB))).containsExactly("a", "b", "c");
    durable(reopened, "d");
    assertThat(reopened.peek(10, MIB))
        .extracting(r -> r.seq() + ":" + text(r))
        .containsExactly("1:a", "2:b", "3:c", "4:d");
  }

  @Test
  void lastRecordFailingItsChecksumIsSkippedWithoutLosingEarlierRecords() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c");
    spool.close();
    opened.remove(spool);
    Path segment = onlySegment();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 0x5a;
    Files.write(segment, bytes);

    Spool reopened = open(MIB);

    assertThat(reopened.tornBytesSkipped()).isEqualTo(RecordFormat.HEADER_BYTES + 1);
    assertThat(texts(reopened.peek(10, MIB))).containsExactly("a", "b");
  }

  @Test
  void segmentsRollAndAreDeletedOnceEverythingInThemIsAcknowledged() throws IOException {
    Spool spool = open(8 * 1024);
    for (int i = 0; i < 40; i++) {
      durable(spool, "x".repeat(100));
    }
    assertThat(segmentFiles()).hasSizeGreaterThan(3);

    List<SpoolRecord> all = spool.peek(1000, MIB);
    spool.acknowledge(all.getLast().seq());

    assertThat(all).hasSize(40);
    assertThat(segmentFiles()).hasSize(1);
    assertThat(spool.bytes()).isZero();
    assertThat(spool.pending()).isZero();
  }

  @Test
  void fullTurnsTrueAtMaxBytesAndFalseOnceDelivered() throws IOException {
    Spool spool = open(2048);
    while (!spool.full()) {
      durable(spool, "y".repeat(200));
    }
    long appendedWhileFull = spool.append(payloads("accepted anyway"));
    spool.awaitDurable(appendedWhileFull);

    List<SpoolRecord> all = spool.peek(1000, MIB);
    spool.acknowledge(all.getLast().seq());

    assertThat(texts(all)).endsWith("accepted anyway");
    assertThat(spool.full()).isFalse();
    assertThat(spool.bytes()).isLessThan(2048);
  }

  @Test
  void awaitPendingWakesWhenRecordsBecomeDurable() throws Exception {
    Spool spool = open(MIB);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Long> waiter = threads.submit(() -> spool.awaitPending(2, Duration.ofSeconds(10)));
      durable(spool, "a");
      durable(spool, "b");

      assertThat(waiter.get()).isEqualTo(2);
    }
    assertThat(spool.awaitPending(5, Duration.ofMillis(1))).isEqualTo(2);
  }

  @Test
  void oldestPendingIsTheAppendTimeOfTheFirstUndeliveredRecord() throws IOException {
    Spool spool = open(MIB);
    assertThat(spool.oldestPending()).isEmpty();
    durable(spool, "a", "b");

    assertThat(spool.oldestPending()).hasValueSatisfying(t -> assertThat(t).isNotNull());
    spool.acknowledge(spool.peek(10, MIB).getLast().seq());
    assertThat(spool.oldestPending()).isEmpty();
  }

  @Test
  void unreadableAcknowledgementMeansEverythingIsDeliveredAgainNotLost() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b");
    spool.acknowledge(spool.peek(1, MIB).getLast().seq());
    spool.close();
    opened.remove(spool);
    corruptByte(dir.resolve("acknowledged"), 3);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("a", "b");
  }

  @Test
  void aDamagedAcknowledgementFallsBackToThePreviousOne() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c");
    spool.acknowledge(spool.peek(1, MIB).getLast().seq());
    spool.acknowledge(spool.peek(1, MIB).getLast().seq());
    spool.close();
    opened.remove(spool);
    // the second acknowledgement went to the second slot; a crash cut that write short
    corruptByte(dir.resolve("acknowledged"), 4096 + 3);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("b", "c");
  }

  @Test
  void afterAFailedForceARollCannotMakeTheUnforcedRecordsDurable() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(8 * 1024, files);
    durable(spool, "x".repeat(300));
    List<SpoolRecord> delivered = spool.peek(10, MIB);
    long unforced = spool.append(payloads("written, never forced"));
    files.failNextForce();

    assertThatThrownBy(() -> spool.awaitDurable(unforced)).hasMessageContaining("injected fsync");
    assertThat(files.injected()).isEqualTo(1);
    // Delivery acknowledges a batch: nothing pending and a quarter-full segment would roll, and
    // rolling forces the file again, which the kernel answers with success.
    spool.acknowledge(delivered.getLast().seq());

    assertThatThrownBy(() -> spool.awaitDurable(unforced)).isInstanceOf(IOException.class);
    assertThat(spool.peek(10, MIB)).isEmpty();
    assertThat(spool.pending()).isZero();
    assertThat(spool.failure()).hasValueSatisfying(f -> assertThat(f).contains("injected fsync"));
  }

  @Test
  void aWaiterChecksForAFailureBeforeItsSequenceNumber() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(MIB, files);
    long forcedBefore = spool.append(payloads("a"));
    spool.awaitDurable(forcedBefore);
    long later = spool.append(payloads("b"));
    files.failNextForce();
    assertThatThrownBy(() -> spool.awaitDurable(later)).isInstanceOf(IOException.class);

    // After the failure no request may be answered as if its events were durable.
    assertThatThrownBy(() -> spool.awaitDurable(forcedBefore)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> spool.append(payloads("c"))).isInstanceOf(IOException.class);
  }

  @Test
  void aFailedWriteFailsTheAppendAndTheSpoolUntilReopened() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(MIB, files);
    durable(spool, "a");
    files.failNextWrite();

    assertThatThrownBy(() -> spool.append(payloads("b".repeat(100))))
        .hasMessageContaining("injected");
    assertThat(files.injected()).isEqualTo(1);
    assertThatThrownBy(() -> spool.append(payloads("d"))).isInstanceOf(IOException.class);
    spool.close();
    opened.remove(spool);

    Spool reopened = open(MIB);
    assertThat(texts(reopened.peek(10, MIB))).containsExactly("a");
    assertThat(reopened.tornBytesSkipped()).isPositive();
    durable(reopened, "e");
    assertThat(texts(reopened.peek(10, MIB))).containsExactly("a", "e");
  }

  @Test
  void anInterruptedAppenderLeavesTheSpoolUsable() throws IOException {
    Spool spool = open(MIB);
    try {
      Thread.currentThread().interrupt();
      durable(spool, "written by an interrupted thread");
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt stays set for the caller").isTrue();
    }

    assertThat(spool.failure()).isEmpty();
    durable(spool, "next");
    spool.acknowledge(spool.peek(1, MIB).getLast().seq());
    assertThat(texts(spool.peek(10, MIB))).containsExactly("next");
  }

  @Test
  void aGroupCommitLeaderInterruptedDuringItsForceLeavesTheSpoolUsable() throws Exception {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(MIB, files);
    FaultyFiles.Pause pause = files.pauseNextForce();
    long leaderSeq = spool.append(payloads("leader"));
    long followerSeq = spool.append(payloads("follower"));

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Thread[] leaderThread = new Thread[1];
      Future<?> leader =
          threads.submit(
              () -> {
                leaderThread[0] = Thread.currentThread();
                spool.awaitDurable(leaderSeq);
                return Thread.currentThread().isInterrupted();
              });
      assertThat(pause.reached().await(10, TimeUnit.SECONDS)).isTrue();
      Future<?> follower =
          threads.submit(
              () -> {
                spool.awaitDurable(followerSeq);
                return null;
              });
      leaderThread[0].interrupt();
      pause.release();

      assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo(true);
      follower.get(10, TimeUnit.SECONDS);
    }

    assertThat(files.injected()).isEqualTo(1);
    assertThat(spool.failure()).isEmpty();
    durable(spool, "after");
    assertThat(texts(spool.peek(10, MIB))).containsExactly("leader", "follower", "after");
  }

  @Test
  void aDamagedRecordInASealedSegmentIsCountedAsLostAndTheRecordsAfterItAreKept()
      throws IOException {
    Spool spool = open(8 * 1024);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      written.add("event-" + i + "-" + "z".repeat(100));
      durable(spool, written.getLast());
    }
    spool.close();
    opened.remove(spool);
    Path sealed = segmentFiles().stream().sorted().findFirst().orElseThrow();
    // one flipped bit in the payload of the sealed segment's second record
    int secondRecordPayload =
        RecordFormat.size(written.get(0).getBytes()) + RecordFormat.HEADER_BYTES;
    flipBit(sealed, secondRecordPayload + 5);

    Spool reopened = open(8 * 1024);

    List<String> expected = new ArrayList<>(written);
    expected.remove(1);
    assertThat(texts(reopened.peek(100, MIB))).containsExactlyElementsOf(expected);
    assertThat(reopened.eventsLost()).isEqualTo(1);
    assertThat(reopened.tornBytesSkipped()).isZero();
    assertThat(reopened.pending()).isEqualTo(29);
    List<SpoolRecord> all = reopened.peek(100, MIB);
    reopened.acknowledge(all.getLast().seq());
    assertThat(reopened.pending()).isZero();
    assertThat(reopened.eventsLost()).isEqualTo(1);
  }

  @Test
  void aDamagedRecordInTheMiddleOfTheLastSegmentIsCountedAsLostAndTheRecordsAfterItAreKept()
      throws IOException {
    Spool spool = open(MIB);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      written.add("event-" + i);
      durable(spool, written.getLast());
    }
    spool.close();
    opened.remove(spool);
    assertThat(segmentFiles()).hasSize(1);
    Path last = segmentFiles().getFirst();
    int secondRecordPayload =
        RecordFormat.size(written.get(0).getBytes()) + RecordFormat.HEADER_BYTES;
    flipBit(last, secondRecordPayload + 2);

    Spool reopened = open(MIB);

    List<String> expected = new ArrayList<>(written);
    expected.remove(1);
    assertThat(texts(reopened.peek(100, MIB))).containsExactlyElementsOf(expected);
    assertThat(reopened.eventsLost()).isEqualTo(1);
    assertThat(reopened.tornBytesSkipped()).isZero();
  }

  @Test
  void aDamagedFirstUndeliveredRecordIsCountedAsLostAndTheNextOneIsDeliveredFirst()
      throws IOException {
    Spool spool = open(8 * 1024);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      written.add("event-" + i + "-" + "z".repeat(100));
      durable(spool, written.getLast());
    }
    spool.close();
    opened.remove(spool);
    Path sealed = segmentFiles().stream().sorted().findFirst().orElseThrow();
    flipBit(sealed, RecordFormat.HEADER_BYTES + 5);

    Spool reopened = open(8 * 1024);

    assertThat(texts(reopened.peek(100, MIB))).containsExactlyElementsOf(written.subList(1, 30));
    assertThat(reopened.eventsLost()).isEqualTo(1);
    assertThat(reopened.pending()).isEqualTo(29);
  }

  @Test
  void aDamagedLastRecordOfASealedSegmentIsCountedAsLost() throws IOException {
    Spool spool = open(8 * 1024);
    for (int i = 0; i < 30; i++) {
      durable(spool, "event-" + i + "-" + "z".repeat(100));
    }
    spool.close();
    opened.remove(spool);
    Path sealed = segmentFiles().stream().sorted().findFirst().orElseThrow();
    flipBit(sealed, (int) Files.size(sealed) - 3);

    Spool reopened = open(8 * 1024);

    assertThat(reopened.peek(100, MIB)).hasSize(29);
    assertThat(reopened.eventsLost()).isEqualTo(1);
    assertThat(reopened.pending()).isEqualTo(29);
  }

  @Test
  void aRecordDamagedAfterItWasForcedIsSkippedAndCountedNotStallingTheReader() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c");
    Path segment = onlySegment();
    flipBit(segment, RecordFormat.size("a".getBytes()) + RecordFormat.HEADER_BYTES);

    assertThat(texts(spool.peek(10, MIB))).containsExactly("a", "c");
    assertThat(spool.eventsLost()).isEqualTo(1);
    assertThat(spool.pending()).isEqualTo(2);
    assertThat(texts(spool.peek(10, MIB))).as("counted once").containsExactly("a", "c");
    assertThat(spool.eventsLost()).isEqualTo(1);
    spool.acknowledge(spool.peek(10, MIB).getLast().seq());
    assertThat(spool.pending()).isZero();
  }

  @Test
  void anUnreadableRangeInASegmentOfAnEarlierRunKeepsItForDeliveryAndTheSpoolStillOpens()
      throws IOException {
    Spool spool = open(64 * 1024);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      written.add("event-" + i + "-" + "z".repeat(1500));
      durable(spool, written.getLast());
    }
    spool.close();
    opened.remove(spool);
    Path sealed = segmentFiles().stream().sorted().findFirst().orElseThrow();
    int recordBytes = RecordFormat.size(written.getFirst().getBytes());
    FaultyFiles files = new FaultyFiles();
    // a bad sector in the middle of the second record
    files.unreadable(sealed, recordBytes + 600, recordBytes + 700);

    Spool reopened = open(64 * 1024, files);

    assertThat(files.injected()).as("the bad sector was read").isPositive();
    assertThat(reopened.eventsLost()).as("a read error is not loss").isZero();
    assertThat(reopened.pending()).isEqualTo(12);
    assertThat(texts(reopened.peek(100, MIB)))
        .as("delivery stops before the bad sector and retries it")
        .containsExactly(written.getFirst());
    assertThat(reopened.readProblem()).isPresent();
    files.readable(sealed);
    assertThat(texts(reopened.peek(100, MIB))).containsExactlyElementsOf(written);
  }

  @Test
  void anUnreadableRangeMetWhileDeliveringHoldsDeliveryBeforeItWithoutLoss() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(MIB, files);
    String a = "a".repeat(1500);
    durable(spool, a, "b".repeat(1500), "c".repeat(1500));
    int recordBytes = RecordFormat.size(a.getBytes());
    files.unreadable(onlySegment(), recordBytes + 600, recordBytes + 700);

    List<SpoolRecord> read = spool.peek(10, MIB);

    assertThat(files.injected()).as("the bad sector was read").isPositive();
    assertThat(texts(read)).containsExactly(a);
    assertThat(spool.eventsLost()).isZero();
    spool.acknowledge(read.getLast().seq());
    assertThat(spool.pending()).isEqualTo(2);
    assertThatThrownBy(() -> spool.peek(10, MIB)).isInstanceOf(SpoolReadException.class);
  }

  @Test
  void aSealedSegmentThatCannotBeOpenedIsSetAsideAsLostAndTheSpoolStillOpens() throws IOException {
    Spool spool = open(8 * 1024);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      written.add("event-" + i + "-" + "z".repeat(100));
      durable(spool, written.getLast());
    }
    spool.close();
    opened.remove(spool);
    List<Path> segments = segmentFiles().stream().sorted().toList();
    Path first = segments.getFirst();
    long inFirst = Segment.firstSeqOf(segments.get(1)).orElseThrow() - 1;
    FaultyFiles files = new FaultyFiles();
    files.unopenable(first);

    Spool reopened = open(8 * 1024, files);

    assertThat(files.injected()).as("the open failed").isPositive();
    assertThat(Files.exists(first.resolveSibling(first.getFileName() + ".unreadable"))).isTrue();
    assertThat(reopened.eventsLost()).isEqualTo(inFirst);
    assertThat(reopened.pending()).isEqualTo(30 - inFirst);
    assertThat(texts(reopened.peek(100, MIB)))
        .containsExactlyElementsOf(written.subList((int) inFirst, 30));
  }

  @Test
  void aLastSegmentThatCannotBeOpenedIsSetAsideAndNewEventsAreSpooled() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b");
    spool.close();
    opened.remove(spool);
    Path last = onlySegment();
    FaultyFiles files = new FaultyFiles();
    files.unopenable(last);

    Spool reopened = open(MIB, files);

    assertThat(files.injected()).as("the open failed").isPositive();
    assertThat(Files.exists(last.resolveSibling(last.getFileName() + ".unreadable"))).isTrue();
    assertThat(reopened.pending()).isZero();
    durable(reopened, "c");
    assertThat(texts(reopened.peek(10, MIB))).containsExactly("c");
  }

  @Test
  void aLostRangeIsCountedOnceNotAgainAfterEachRestart() throws IOException {
    Spool spool = open(8 * 1024);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      written.add("event-" + i + "-" + "z".repeat(100));
      durable(spool, written.getLast());
    }
    spool.close();
    opened.remove(spool);
    Path sealed = segmentFiles().stream().sorted().findFirst().orElseThrow();
    flipBit(sealed, RecordFormat.size(written.get(0).getBytes()) + RecordFormat.HEADER_BYTES + 5);

    Spool first = open(8 * 1024);
    assertThat(first.eventsLost()).isEqualTo(1);
    first.close();
    opened.remove(first);

    Spool second = open(8 * 1024);

    assertThat(second.eventsLost()).as("counted by the run before").isZero();
    assertThat(second.pending()).as("still left out").isEqualTo(29);
    assertThat(texts(second.peek(100, MIB))).doesNotContain(written.get(1)).hasSize(29);
    assertThat(second.eventsLost()).isZero();
  }

  @Test
  void aRecordFoundDamagedWhileDeliveringIsNotCountedAgainAfterARestart() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c");
    flipBit(onlySegment(), RecordFormat.size("a".getBytes()) + RecordFormat.HEADER_BYTES);
    assertThat(texts(spool.peek(10, MIB))).containsExactly("a", "c");
    assertThat(spool.eventsLost()).isEqualTo(1);
    spool.close();
    opened.remove(spool);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("a", "c");
    assertThat(reopened.pending()).isEqualTo(2);
    assertThat(reopened.eventsLost()).isZero();
  }

  @Test
  void anAcknowledgementFileOfTheEarlierLayoutKeepsItsPosition() throws IOException {
    spoolOfSixWithLegacyAcknowledgement(32);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("e", "f");
  }

  @Test
  void anUpgradeOfTheEarlierAcknowledgementLayoutCutShortByACrashKeepsItsPosition()
      throws IOException {
    // the file was extended to the new layout, but its new slot never reached the disk
    spoolOfSixWithLegacyAcknowledgement(4096 + 16);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("e", "f");
    reopened.acknowledge(reopened.peek(1, MIB).getLast().seq());
    reopened.close();
    opened.remove(reopened);
    assertThat(texts(open(MIB).peek(10, MIB))).containsExactly("f");
  }

  /**
   * Six records "a" to "f" and an acknowledgement file as the earlier layout wrote it, its two
   * slots next to each other: 2 in the first, 4 (the newer) in the second; {@code size} bytes long.
   */
  private void spoolOfSixWithLegacyAcknowledgement(int size) throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c", "d", "e", "f");
    spool.close();
    opened.remove(spool);
    ByteBuffer file = ByteBuffer.allocate(size);
    file.put(slot(2)).put(slot(4));
    Files.write(dir.resolve("acknowledged"), file.array());
  }

  private static byte[] slot(long seq) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(seq).flip());
    return ByteBuffer.allocate(16).putLong(seq).putInt((int) crc.getValue()).array();
  }

  @Test
  void aTornSectorDamagingTheFirstAcknowledgementSlotKeepsTheOther() throws IOException {
    Spool spool = open(MIB);
    durable(spool, "a", "b", "c", "d");
    spool.acknowledge(spool.peek(1, MIB).getLast().seq());
    spool.acknowledge(spool.peek(1, MIB).getLast().seq());
    spool.close();
    opened.remove(spool);
    // a power cut in the middle of writing the first 512-byte sector of the file
    byte[] bytes = Files.readAllBytes(dir.resolve("acknowledged"));
    java.util.Arrays.fill(bytes, 0, Math.min(512, bytes.length), (byte) 0x5a);
    Files.write(dir.resolve("acknowledged"), bytes);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("c", "d");
  }

  @Test
  void aSlowReadOfTheOldestPendingRecordDoesNotHoldUpAppenders() throws Exception {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(MIB, files);
    durable(spool, "a");
    FaultyFiles.Pause slowDisk = files.pauseNextRead();

    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> scrape = threads.submit(spool::oldestPending);
      assertThat(slowDisk.reached().await(10, TimeUnit.SECONDS)).isTrue();
      Future<?> appender =
          threads.submit(
              () -> {
                durable(spool, "b");
                return null;
              });
      try {
        appender.get(10, TimeUnit.SECONDS);
      } finally {
        slowDisk.release();
      }
      assertThat(scrape.get(10, TimeUnit.SECONDS)).isNotNull();
    }
    assertThat(spool.pending()).isEqualTo(2);
  }

  @Test
  void creatingTheSpoolDirectoryForcesEachNewEntry() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Path nested = dir.resolve("a").resolve("b").resolve("spool");

    opened.add(Spool.open(nested, MIB, Clock.systemUTC(), files));

    assertThat(files.forcedDirectories())
        .startsWith(
            dir.toAbsolutePath(),
            dir.resolve("a").toAbsolutePath(),
            dir.resolve("a/b").toAbsolutePath());
  }

  @Test
  void aSecondSpoolOnTheSameDirectoryIsRefused() throws IOException {
    open(MIB);

    assertThatThrownBy(() -> Spool.open(dir, MIB, Clock.systemUTC()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("in use");
  }

  private Spool open(long maxBytes) throws IOException {
    Spool spool = Spool.open(dir, maxBytes, Clock.systemUTC());
    opened.add(spool);
    return spool;
  }

  private Spool open(long maxBytes, FaultyFiles files) throws IOException {
    Spool spool = Spool.open(dir, maxBytes, Clock.systemUTC(), files);
    opened.add(spool);
    return spool;
  }

  private static void flipBit(Path file, int offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[offset] ^= 0x04;
    Files.write(file, bytes);
  }

  private static void durable(Spool spool, String... texts) throws IOException {
    spool.awaitDurable(spool.append(payloads(texts)));
  }

  private static List<byte[]> payloads(String... texts) {
    return Stream.of(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
  }

  private static List<String> texts(List<SpoolRecord> records) {
    return records.stream().map(SpoolTest::text).toList();
  }

  private static String text(SpoolRecord record) {
    return new String(record.payload(), StandardCharsets.UTF_8);
  }

  private List<Path> segmentFiles() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("segment-")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path onlySegment() throws IOException {
    List<Path> withData = new ArrayList<>();
    for (Path file : segmentFiles()) {
      if (Files.size(file) > 0) {
        withData.add(file);
      }
    }
    assertThat(withData).hasSize(1);
    return withData.getFirst();
  }

  private static void corruptByte(Path file, int offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[offset] ^= 0x5a;
    Files.write(file, bytes);
  }

  private static byte[] header(int length, long seq) {
    return ByteBuffer.allocate(RecordFormat.HEADER_BYTES)
        .putInt(length)
        .putInt(0)
        .putLong(seq)
        .putLong(0)
        .array();
  }

  private static void appendBytes(Path file, byte[]... chunks) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.APPEND)) {
      for (byte[] chunk : chunks) {
        channel.write(ByteBuffer.wrap(chunk));
      }
    }
  }
}
