package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * The on-disk framing of one record: {@code length:int32 | crc32c:int32 | seq:int64 |
 * appendedAtMillis:int64 | payload}, big-endian. The checksum covers everything after itself, so a
 * record cut short by a crash, or a stale length, fails the check and is never mistaken for data.
 */
final class RecordFormat {

  static final int HEADER_BYTES = 24;
  static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
  private static final int RESYNC_WINDOW = 1024 * 1024;

  private RecordFormat() {}

  static int size(byte[] payload) {
    return HEADER_BYTES + payload.length;
  }

  static void encode(ByteBuffer out, long seq, long appendedAtMillis, byte[] payload) {
    int start = out.position();
    out.putInt(payload.length);
    out.putInt(0);
    out.putLong(seq);
    out.putLong(appendedAtMillis);
    out.put(payload);
    CRC32C crc = new CRC32C();
    crc.update(out.duplicate().position(start + 8).limit(out.position()));
    out.putInt(start + 4, (int) crc.getValue());
  }

  /** A record read back, and the offset just past it. */
  record Read(SpoolRecord record, long end) {}

  /**
   * Reads the record at {@code offset} if a complete, intact one is there before {@code limit};
   * null when the bytes end, are cut short, or fail the checksum.
   */
  static Read read(SpoolFile channel, long offset, long limit) throws IOException {
    if (limit - offset < HEADER_BYTES) {
      return null;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    readFully(channel, header, offset);
    int length = header.getInt(0);
    if (length < 0 || length > MAX_PAYLOAD_BYTES || limit - offset - HEADER_BYTES < length) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(channel, body, offset + HEADER_BYTES);
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().position(8).limit(HEADER_BYTES));
    crc.update(body.duplicate().flip());
    if ((int) crc.getValue() != header.getInt(4)) {
      return null;
    }
    SpoolRecord record =
        new SpoolRecord(header.getLong(8), Instant.ofEpochMilli(header.getLong(16)), body.array());
    return new Read(record, offset + HEADER_BYTES + length);
  }

  /**
   * Scans forward from {@code from} for the first intact record before {@code limit} whose sequence
   * number lies in {@code [minSeq, maxSeq]}: where reading resumes after a damaged record. The
   * sequence range rejects stale frames and a payload that happens to contain a frame. Null when
   * there is none.
   */
  static Read resync(SpoolFile file, long from, long limit, long minSeq, long maxSeq)
      throws IOException {
    ByteBuffer window = ByteBuffer.allocate(RESYNC_WINDOW + HEADER_BYTES);
    long base = from;
    while (limit - base >= HEADER_BYTES) {
      window.clear().limit((int) Math.min(window.capacity(), limit - base));
      readFully(file, window, base);
      int offsets = Math.min(window.limit() - HEADER_BYTES + 1, RESYNC_WINDOW);
      for (int i = 0; i < offsets; i++) {
        int length = window.getInt(i);
        long seq = window.getLong(i + 8);
        boolean plausible =
            length >= 0
                && length <= MAX_PAYLOAD_BYTES
                && seq >= minSeq
                && seq <= maxSeq
                && limit - (base + i) - HEADER_BYTES >= length;
        if (plausible) {
          Read read = read(file, base + i, limit);
          if (read != null) {
            return read;
          }
        }
      }
      base += offsets;
    }
    return null;
  }

  private static void readFully(SpoolFile channel, ByteBuffer buffer, long offset)
      throws IOException {
    long position = offset;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("unexpected end of spool segment at " + position);
      }
      position += n;
    }
  }
}
