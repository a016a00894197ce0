package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgement watermark: the highest sequence number delivered. Two checksummed slots are
 * written in turn, each with one small in-place write and a force (no rename, no directory sync, so
 * it stays cheap next to the spool's own fsyncs). The slots lie {@value #SLOT_DISTANCE} bytes
 * apart, in different disk blocks, so a write a crash cut short, or a torn sector, spoils at most
 * the slot being written; the other still holds the previous watermark.
 *
 * <p>An earlier version kept its second slot right after the first. That slot is still read (the
 * watermark only grows, so the highest intact slot wins) but never written: a spool of the earlier
 * layout keeps its position whatever happened to the file since, even a crash while it was being
 * extended to the new size. A slot that cannot be read (an I/O error) counts as damaged.
 */
final class AckFile implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AckFile.class);
  private static final int SLOT_BYTES = 16;
  private static final int SLOT_DISTANCE = 4096;
  private static final long FILE_BYTES = SLOT_DISTANCE + SLOT_BYTES;

  /** Where an earlier version kept the second slot, next to the first. */
  private static final int LEGACY_SECOND_SLOT = SLOT_BYTES;

  private final Path path;
  private final SpoolFile file;
  private int nextSlot;

  AckFile(Path directory, SpoolFiles files) throws IOException {
    this.path = directory.resolve("acknowledged");
    boolean created = !Files.exists(path);
    this.file = files.openForUpdate(path);
    try {
      if (created) {
        write(ByteBuffer.allocate((int) FILE_BYTES), 0);
        file.force();
        files.forceDirectory(directory);
      }
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** The stored watermark; empty when no slot holds one that passes its checksum. */
  OptionalLong read() {
    long first = slot(0);
    long second = slot(SLOT_DISTANCE);
    long best = Math.max(Math.max(first, second), slot(LEGACY_SECOND_SLOT));
    // the next write replaces the older of the two slots in use
    nextSlot = first <= second ? 0 : 1;
    return best <= 0 ? OptionalLong.empty() : OptionalLong.of(best);
  }

  /** The watermark in the slot at {@code position}; -1 when it holds none or fails its checksum. */
  private long slot(long position) {
    ByteBuffer buffer = ByteBuffer.allocate(SLOT_BYTES);
    try {
      int n;
      do {
        n = file.read(buffer, position + buffer.position());
      } while (n > 0 && buffer.hasRemaining());
    } catch (IOException e) {
      log.warn("audit spool {}: slot at {} cannot be read ({})", path, position, e.toString());
      return -1;
    }
    long seq = buffer.getLong(0);
    boolean intact = !buffer.hasRemaining() && seq > 0 && checksum(seq) == buffer.getInt(8);
    return intact ? seq : -1;
  }

  /** True when the file holds data (so an empty {@link #read} means it is damaged). */
  boolean hasData() {
    for (long position : new long[] {0, LEGACY_SECOND_SLOT, SLOT_DISTANCE}) {
      ByteBuffer buffer = ByteBuffer.allocate(SLOT_BYTES);
      try {
        file.read(buffer, position);
      } catch (IOException e) {
        return true;
      }
      for (int i = 0; i < buffer.position(); i++) {
        if (buffer.get(i) != 0) {
          return true;
        }
      }
    }
    return false;
  }

  void write(long seq) throws IOException {
    ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES).putLong(seq).putInt(checksum(seq));
    write(slot.clear(), (long) nextSlot * SLOT_DISTANCE);
    file.force();
    nextSlot = 1 - nextSlot;
  }

  private void write(ByteBuffer buffer, long position) throws IOException {
    file.write(buffer, position);
  }

  private static int checksum(long seq) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(seq).flip());
    return (int) crc.getValue();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
