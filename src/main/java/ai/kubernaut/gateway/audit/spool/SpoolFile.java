package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The operations the spool performs on one open file. Everything the spool writes, reads and forces
 * goes through here, so that {@link SpoolFiles} decides how (on a path no thread interrupt can
 * close) and tests can make one operation fail.
 */
public interface SpoolFile extends AutoCloseable {

  /** Writes all of {@code buffer}'s remaining bytes at {@code position}. */
  void write(ByteBuffer buffer, long position) throws IOException;

  /** Reads into {@code buffer} from {@code position}; the bytes read, or -1 at the end. */
  int read(ByteBuffer buffer, long position) throws IOException;

  /** Forces written bytes to the device. */
  void force() throws IOException;

  long size() throws IOException;

  @Override
  void close() throws IOException;
}
