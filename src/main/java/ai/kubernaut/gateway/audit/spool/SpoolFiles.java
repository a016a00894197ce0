package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the spool's files and makes directory changes durable. */
public interface SpoolFiles {

  /** Files on disk, with I/O that an interrupted thread cannot close. */
  static SpoolFiles disk() {
    return DiskFiles.INSTANCE;
  }

  /** A new file, which must not exist yet, open for writing. */
  SpoolFile create(Path file) throws IOException;

  /** An existing file, open for reading. */
  SpoolFile openForReading(Path file) throws IOException;

  /** A file open for reading and writing, created empty when it does not exist. */
  SpoolFile openForUpdate(Path file) throws IOException;

  /** Forces {@code directory}'s entries to disk, so a new or deleted file survives a crash. */
  void forceDirectory(Path directory) throws IOException;
}
