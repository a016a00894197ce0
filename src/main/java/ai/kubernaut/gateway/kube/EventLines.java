package ai.kubernaut.gateway.kube;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits the bytes of a watch's answer into its lines, one event each, however the chunks they
 * arrive in fall. The bytes of a line are copied once, into a buffer reused from line to line.
 */
final class EventLines {

  /** Receives each complete, non-empty line; returns false to stop reading. */
  interface Handler {
    boolean line(byte[] bytes, int length) throws IOException;
  }

  private final int maxLineBytes;
  private byte[] line = new byte[8 * 1024];
  private int length;

  EventLines(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Hands every line {@code chunk} completes to {@code handler}, and keeps the start of one it does
   * not complete for the next chunk. Returns false as soon as the handler does.
   *
   * @throws IOException when a line grows past the limit, or as the handler throws
   */
  boolean feed(ByteBuffer chunk, Handler handler) throws IOException {
    while (chunk.hasRemaining()) {
      int start = chunk.position();
      int end = chunk.limit();
      int newline = start;
      while (newline < end && chunk.get(newline) != '\n') {
        newline++;
      }
      append(chunk, start, newline);
      if (newline == end) {
        chunk.position(end);
        return true;
      }
      chunk.position(newline + 1);
      int complete = length;
      length = 0;
      if (complete > 0 && !handler.line(line, complete)) {
        return false;
      }
    }
    return true;
  }

  private void append(ByteBuffer chunk, int from, int to) throws IOException {
    int count = to - from;
    if (count == 0) {
      return;
    }
    if (count > maxLineBytes - length) {
      throw new IOException("a watch event over " + maxLineBytes + " bytes");
    }
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.max(length + count, Math.min(maxLineBytes, line.length * 2)));
    }
    chunk.get(from, line, length, count);
    length += count;
  }
}
