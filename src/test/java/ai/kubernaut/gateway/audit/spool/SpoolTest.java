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
    corruptByte(dir.resolve("acknowledged"), 16 + 3);

    Spool reopened = open(MIB);

    assertThat(texts(reopened.peek(10, MIB))).containsExactly("b", "c");
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
