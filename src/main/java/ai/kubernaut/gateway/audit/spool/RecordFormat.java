package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
  static Read read(FileChannel channel, long offset, long limit) throws IOException {
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

  private static void readFully(FileChannel channel, ByteBuffer buffer, long offset)
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
