package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The acknowledgement watermark: the highest sequence number delivered. Two checksummed slots in a
 * fixed-size file are written in turn, each with one small in-place write and a data-only force (no
 * rename, no directory sync, so it stays cheap next to the spool's own fsyncs). A write a crash cut
 * short spoils only the slot being written; the other still holds the previous watermark.
 */
final class AckFile implements AutoCloseable {

  private static final int SLOT_BYTES = 16;

  private final Path file;
  private final FileChannel channel;
  private int nextSlot;

  AckFile(Path directory) throws IOException {
    this.file = directory.resolve("acknowledged");
    boolean created = !Files.exists(file);
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (created || channel.size() < 2L * SLOT_BYTES) {
      write(ByteBuffer.allocate(2 * SLOT_BYTES), 0);
      channel.force(true);
      Directories.force(directory);
    }
  }

  /** The stored watermark; empty when no slot holds one that passes its checksum. */
  OptionalLong read() throws IOException {
    long best = -1;
    for (int slot = 0; slot < 2; slot++) {
      ByteBuffer buffer = ByteBuffer.allocate(SLOT_BYTES);
      channel.read(buffer, (long) slot * SLOT_BYTES);
      long seq = buffer.getLong(0);
      if (buffer.position() == SLOT_BYTES && seq > 0 && checksum(seq) == buffer.getInt(8)) {
        if (seq > best) {
          best = seq;
          nextSlot = 1 - slot;
        }
      }
    }
    return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
  }

  /** True when the file holds data (so an empty {@link #read} means it is damaged). */
  boolean hasData() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(2 * SLOT_BYTES);
    channel.read(buffer, 0);
    for (byte b : buffer.array()) {
      if (b != 0) {
        return true;
      }
    }
    return false;
  }

  void write(long seq) throws IOException {
    ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES).putLong(seq).putInt(checksum(seq));
    write(slot.clear(), (long) nextSlot * SLOT_BYTES);
    channel.force(false);
    nextSlot = 1 - nextSlot;
  }

  private void write(ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  private static int checksum(long seq) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(seq).flip());
    return (int) crc.getValue();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
