package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Makes directory changes (created, renamed, deleted files) durable. */
final class Directories {

  private Directories() {}

  /** Forces {@code directory}'s entries to disk, so a new or renamed file survives a crash. */
  static void force(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
