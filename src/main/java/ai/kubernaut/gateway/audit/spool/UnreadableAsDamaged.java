package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment opened for reading in which bytes the device cannot read (an I/O error: a bad sector)
 * read as zeros. No record's checksum accepts zeros, so the records there are skipped and reported
 * lost like any other damage, instead of failing every read for ever (and, at start-up, the whole
 * gateway). A read that fails is tried again one sector at a time, so only the sectors that still
 * fail are replaced, and a transient error costs nothing.
 */
final class UnreadableAsDamaged implements SpoolFile {

  private static final Logger log = LoggerFactory.getLogger(UnreadableAsDamaged.class);
  static final int SECTOR = 512;

  private final SpoolFile file;
  private final Path path;
  private final Set<Long> reported = new HashSet<>();

  UnreadableAsDamaged(SpoolFile file, Path path) {
    this.file = file;
    this.path = path;
  }

  @Override
  public int read(ByteBuffer buffer, long position) throws IOException {
    try {
      return file.read(buffer, position);
    } catch (IOException e) {
      return readBySector(buffer, position);
    }
  }

  private int readBySector(ByteBuffer buffer, long position) throws IOException {
    long size = file.size();
    if (position >= size) {
      return -1;
    }
    int wanted = (int) Math.min(buffer.remaining(), size - position);
    long at = position;
    while (at < position + wanted) {
      long sectorEnd = (at / SECTOR + 1) * SECTOR;
      byte[] piece = new byte[(int) (Math.min(sectorEnd, position + wanted) - at)];
      try {
        ByteBuffer into = ByteBuffer.wrap(piece);
        while (into.hasRemaining() && file.read(into, at + into.position()) > 0) {
          // a short read continues from where it stopped
        }
      } catch (IOException e) {
        Arrays.fill(piece, (byte) 0);
        unreadable(at - at % SECTOR, e);
      }
      buffer.put(piece);
      at += piece.length;
    }
    return wanted;
  }

  private void unreadable(long sector, IOException error) {
    if (reported.add(sector)) {
      log.error(
          "audit spool segment {}: bytes {} to {} cannot be read ({}); the records there are"
              + " treated as damaged",
          path.getFileName(),
          sector,
          sector + SECTOR,
          error.toString());
    }
  }

  @Override
  public void write(ByteBuffer buffer, long position) throws IOException {
    file.write(buffer, position);
  }

  @Override
  public void force() throws IOException {
    file.force();
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
