package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments delivery has passed: the {@code delivered} ones are deleted, the {@code unreadable} ones
 * (with bytes skipped because they could not be read) are renamed {@code <name>.unreadable} for
 * inspection.
 */
record PassedSegments(List<Segment> delivered, List<Segment> unreadable) {

  // under the spool's name, which log configurations already know
  private static final Logger log = LoggerFactory.getLogger(Spool.class);

  /** Removes the files and what the reader and its failure memory still hold about them. */
  void remove(SpoolReader reader, ReadFailures readFailures) throws IOException {
    for (Segment segment : delivered) {
      reader.forget(segment.firstSeq);
      Files.deleteIfExists(segment.path);
      readFailures.forget(segment.path);
    }
    for (Segment segment : unreadable) {
      reader.forget(segment.firstSeq);
      Path aside = segment.path.resolveSibling(segment.path.getFileName() + ".unreadable");
      Files.move(segment.path, aside, StandardCopyOption.REPLACE_EXISTING);
      readFailures.forget(segment.path);
      log.warn(
          "audit spool segment {} had bytes that could not be read; delivery has passed it, and it"
              + " is kept as {} for inspection (not counted in the spool's size)",
          segment.path.getFileName(),
          aside.getFileName());
    }
  }
}
