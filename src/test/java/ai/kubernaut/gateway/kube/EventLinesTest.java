package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLinesTest {

  private static final String STREAM =
      "{\"type\":\"ADDED\",\"n\":1}\n{\"type\":\"MODIFIED\",\"text\":\"ü€\"}\n\n{\"last\":3}\n";
  private static final List<String> LINES =
      List.of(
          "{\"type\":\"ADDED\",\"n\":1}",
          "{\"type\":\"MODIFIED\",\"text\":\"ü€\"}",
          "{\"last\":3}");

  @Test
  void everyWayTheChunksCanFallGivesTheSameLines() throws IOException {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int first = 0; first <= bytes.length; first++) {
      for (int second = first; second <= bytes.length; second++) {
        EventLines lines = new EventLines(64);
        List<String> seen = new ArrayList<>();
        for (byte[] chunk :
            List.of(
                Arrays.copyOfRange(bytes, 0, first),
                Arrays.copyOfRange(bytes, first, second),
                Arrays.copyOfRange(bytes, second, bytes.length))) {
          lines.feed(ByteBuffer.wrap(chunk), collect(seen));
        }
        assertThat(seen).as("chunks end at %d and %d", first, second).isEqualTo(LINES);
      }
    }
  }

  @Test
  void aLineIsNotHandedOverBeforeItsNewlineArrives() throws IOException {
    EventLines lines = new EventLines(64);
    List<String> seen = new ArrayList<>();

    lines.feed(utf8("{\"partial\":"), collect(seen));
    assertThat(seen).isEmpty();

    lines.feed(utf8("true}\n"), collect(seen));
    assertThat(seen).containsExactly("{\"partial\":true}");
  }

  @Test
  void aHandlerThatStopsLeavesTheRestOfTheChunkUnread() throws IOException {
    EventLines lines = new EventLines(64);
    List<String> seen = new ArrayList<>();
    ByteBuffer chunk = utf8("one\ntwo\nthree\n");

    boolean more =
        lines.feed(
            chunk,
            (bytes, length) -> {
              seen.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
              return false;
            });

    assertThat(more).isFalse();
    assertThat(seen).containsExactly("one");
    assertThat(chunk.remaining()).isEqualTo("two\nthree\n".length());
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedAcrossChunks() throws IOException {
    EventLines lines = new EventLines(16);
    List<String> seen = new ArrayList<>();
    lines.feed(utf8("0123456789"), collect(seen));

    assertThatThrownBy(() -> lines.feed(utf8("0123456789\n"), collect(seen)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("16 bytes");
    assertThat(seen).isEmpty();
  }

  @Test
  void aLineOfExactlyTheLimitPasses() throws IOException {
    EventLines lines = new EventLines(16);
    List<String> seen = new ArrayList<>();

    lines.feed(utf8("0123456789abcdef\n"), collect(seen));

    assertThat(seen).containsExactly("0123456789abcdef");
  }

  @Test
  void linesLongerThanTheFirstBufferGrowIt() throws IOException {
    EventLines lines = new EventLines(1 << 20);
    List<String> seen = new ArrayList<>();
    String longLine = "x".repeat(100_000);

    lines.feed(utf8(longLine.substring(0, 30_000)), collect(seen));
    lines.feed(utf8(longLine.substring(30_000) + "\nshort\n"), collect(seen));

    assertThat(seen).containsExactly(longLine, "short");
  }

  private static EventLines.Handler collect(List<String> seen) {
    return (bytes, length) -> {
      seen.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
      return true;
    };
  }

  private static ByteBuffer utf8(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }
}
