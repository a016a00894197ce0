package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The acknowledgement watermark: the highest sequence number delivered, with a checksum. Replaced
 * atomically (write a temporary file, force it, rename it over the old one, force the directory),
 * so a crash leaves either the old or the new value.
 */
final class AckFile {

  private final Path file;
  private final Path temp;
  private final Path directory;

  AckFile(Path directory) {
    this.directory = directory;
    this.file = directory.resolve("acknowledged");
    this.temp = directory.resolve("acknowledged.tmp");
  }

  /** The stored watermark; empty when there is none or it does not pass its checksum. */
  OptionalLong read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    if (bytes.length != 12) {
      return OptionalLong.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long seq = buffer.getLong(0);
    return checksum(seq) == buffer.getInt(8) ? OptionalLong.of(seq) : OptionalLong.empty();
  }

  boolean exists() {
    return Files.exists(file);
  }

  void write(long seq) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(12).putLong(seq).putInt(checksum(seq)).flip();
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Directories.force(directory);
  }

  private static int checksum(long seq) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(seq).flip());
    return (int) crc.getValue();
  }
}
