package ai.kubernaut.gateway.audit.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read errors are not loss: a range that cannot be read is retried, and only declared lost once it
 * keeps failing over {@link ReadFailures#LOSS_AFTER}; a segment with ranges skipped that way is
 * never deleted.
 */
class SpoolReadErrorTest {

  private static final long MIB = 1024 * 1024;

  /** Records big enough to span sectors: a bad sector hits one record only. */
  private static final int RECORD = RecordFormat.size(payload(0).getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));
  private final List<Spool> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws IOException {
    for (Spool spool : opened) {
      spool.close();
    }
  }

  @Test
  void aMomentaryReadErrorWhileDeliveringLosesNothing() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(8 * 1024, files);
    List<String> written = write(spool, 30);
    Path first = segments().getFirst();

    files.unreadable(first, 0, Long.MAX_VALUE);
    assertThatThrownBy(() -> spool.peek(100, MIB)).isInstanceOf(SpoolReadException.class);
    assertThat(files.injected()).as("the read failed").isPositive();
    assertThat(spool.readProblem()).hasValueSatisfying(p -> assertThat(p).contains("retrying"));
    files.readable(first);

    List<SpoolRecord> batch = spool.peek(100, MIB);
    spool.acknowledge(batch.getLast().seq());
    write(spool, 1);
    List<String> delivered = new ArrayList<>(texts(batch));
    delivered.addAll(texts(spool.peek(100, MIB)));

    assertThat(delivered.subList(0, 30)).containsExactlyElementsOf(written);
    assertThat(spool.eventsLost()).isZero();
    assertThat(spool.readProblem()).isEmpty();
  }

  @Test
  void aRangeThatKeepsFailingIsLostOnlyAfterTheLossPeriodAndItsSegmentIsKeptAside()
      throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(64 * 1024, files);
    List<String> written = write(spool, 12);
    Path first = segments().getFirst();
    assertThat(segments()).as("the first segment is sealed").hasSizeGreaterThan(1);
    // a bad sector in the middle of the second record
    files.unreadable(first, RECORD + 600, RECORD + 700);

    for (int i = 0; i < 5; i++) {
      assertThat(texts(spool.peek(100, MIB)))
          .as("up to the bad sector")
          .containsExactly(payload(0));
      clock.advance(Duration.ofSeconds(20));
    }
    assertThat(spool.eventsLost()).as("100 s of failures are not loss yet").isZero();
    List<SpoolRecord> batch = readUntilLost(spool);

    assertThat(spool.eventsLost()).isEqualTo(1);
    List<String> expected = new ArrayList<>(written);
    expected.remove(1);
    assertThat(texts(batch)).containsExactlyElementsOf(expected);
    spool.acknowledge(batch.getLast().seq());
    assertThat(first).as("not deleted").doesNotExist();
    assertThat(first.resolveSibling(first.getFileName() + ".unreadable")).exists();
  }

  @Test
  void aClosedFileIsNotTakenForAnUnreadableRange() throws IOException {
    Spool spool = open(MIB, new FaultyFiles());
    write(spool, 3);
    SpoolFile file = SpoolFiles.disk().openForReading(segments().getFirst());
    file.close();
    UnreadableAsDamaged reads =
        new UnreadableAsDamaged(
            file, segments().getFirst(), new ReadFailures(clock, Duration.ZERO, 1), false);

    assertThatThrownBy(() -> RecordFormat.read(reads, 0, 1000))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SpoolReadException.class);
    assertThat(reads.substitutedZeros()).isFalse();
  }

  @Test
  void aMomentaryReadErrorAtStartKeepsAnIntactSealedSegment() throws IOException {
    Spool spool = open(8 * 1024, new FaultyFiles());
    List<String> written = write(spool, 30);
    close(spool);
    Path first = segments().getFirst();
    FaultyFiles files = new FaultyFiles();
    files.unreadable(first, 0, Long.MAX_VALUE);

    Spool reopened = open(8 * 1024, files);
    assertThat(files.injected()).as("the reads at start failed").isPositive();
    assertThat(reopened.eventsLost()).isZero();
    assertThat(first).exists();
    close(reopened);

    Spool third = open(8 * 1024, new FaultyFiles());
    assertThat(texts(third.peek(100, MIB))).containsExactlyElementsOf(written);
    assertThat(third.eventsLost()).isZero();
  }

  @Test
  void aSegmentUnreadableAtStartIsReadOnceTheDeviceRecovers() throws IOException {
    Spool spool = open(8 * 1024, new FaultyFiles());
    List<String> written = write(spool, 30);
    close(spool);
    Path first = segments().getFirst();
    FaultyFiles files = new FaultyFiles();
    files.unreadable(first, 0, Long.MAX_VALUE);

    Spool reopened = open(8 * 1024, files);
    assertThatThrownBy(() -> reopened.peek(100, MIB)).isInstanceOf(SpoolReadException.class);
    files.readable(first);

    assertThat(texts(reopened.peek(100, MIB))).containsExactlyElementsOf(written);
    assertThat(reopened.eventsLost()).isZero();
  }

  @Test
  void anUnreadableEndOfTheLastSegmentIsNotATearAndIsReadWhenTheDeviceRecovers()
      throws IOException {
    Spool spool = open(MIB, new FaultyFiles());
    List<String> written = write(spool, 20);
    close(spool);
    Path last = segments().getLast();
    long size = Files.size(last);
    FaultyFiles files = new FaultyFiles();
    files.unreadable(last, size / 2, size);

    Spool reopened = open(MIB, files);
    assertThat(reopened.tornBytesSkipped()).as("an I/O error is no crash tear").isZero();
    List<SpoolRecord> before = reopened.peek(100, MIB);
    assertThat(texts(before)).containsExactlyElementsOf(written.subList(0, before.size()));
    reopened.acknowledge(before.getLast().seq());
    assertThatThrownBy(() -> reopened.peek(100, MIB)).isInstanceOf(SpoolReadException.class);
    files.readable(last);

    assertThat(texts(reopened.peek(100, MIB)))
        .containsExactlyElementsOf(written.subList(before.size(), 20));
    assertThat(reopened.eventsLost()).isZero();
  }

  @Test
  void sequenceNumbersCountedLostAreNotReusedAfterARestart() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(MIB, files);
    write(spool, 4);
    Path segment = segments().getLast();
    long size = Files.size(segment);
    files.unreadable(segment, size / 2 + 100, size); // the third and fourth records
    readUntilLost(spool);
    assertThat(spool.eventsLost()).isEqualTo(2);
    close(spool);
    files.readable(segment);
    // the lost records' bytes vanish for good (the file was cut back), so recovery sees only two
    try (var channel = Files.newByteChannel(segment, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(size / 2);
    }

    Spool second = open(MIB, files);
    long seq = second.append(List.of("new".getBytes(StandardCharsets.UTF_8)));

    assertThat(seq).as("after the ledger's lost range").isGreaterThan(4);
  }

  @Test
  void aLostRangeThatGrowsIsCountedInFull() throws IOException {
    FaultyFiles files = new FaultyFiles();
    Spool spool = open(MIB, files);
    write(spool, 6);
    Path segment = segments().getLast();
    files.unreadable(segment, RECORD + 600, RECORD + 700); // the second record
    readUntilLost(spool);
    assertThat(spool.eventsLost()).isEqualTo(1);

    files.unreadable(segment, RECORD + 600, 2 * RECORD + 700); // now the third as well
    // the second record is already lost: the third goes through its own loss period
    readUntilLost(spool);

    assertThat(spool.eventsLost()).isEqualTo(2);
    assertThat(texts(spool.peek(100, MIB)))
        .containsExactly(payload(0), payload(3), payload(4), payload(5));
  }

  private List<SpoolRecord> readUntilLost(Spool spool) throws IOException {
    long lostBefore = spool.eventsLost();
    for (int i = 0; i < 20; i++) {
      try {
        List<SpoolRecord> read = spool.peek(100, MIB);
        if (spool.eventsLost() > lostBefore) {
          return read;
        }
      } catch (SpoolReadException retry) {
        // still within the loss period
      }
      clock.advance(Duration.ofSeconds(30));
    }
    throw new AssertionError("never declared lost");
  }

  private Spool open(long maxBytes, FaultyFiles files) throws IOException {
    Spool spool = Spool.open(dir, maxBytes, clock, files);
    opened.add(spool);
    return spool;
  }

  private void close(Spool spool) throws IOException {
    spool.close();
    opened.remove(spool);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> Segment.firstSeqOf(f).isPresent()).sorted().toList();
    }
  }

  private static String payload(int i) {
    return String.format("event-%02d-", i) + "z".repeat(1500);
  }

  private static List<String> write(Spool spool, int n) throws IOException {
    List<String> written = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      written.add(payload(i));
      spool.awaitDurable(spool.append(List.of(written.getLast().getBytes(StandardCharsets.UTF_8))));
    }
    return written;
  }

  private static List<String> texts(List<SpoolRecord> records) {
    return records.stream().map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
  }
}
