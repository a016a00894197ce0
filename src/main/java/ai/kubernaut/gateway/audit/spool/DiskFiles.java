package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The spool's files on disk, through {@link RandomAccessFile}: unlike a {@code FileChannel}, its
 * reads, writes and {@code getFD().sync()} do not close the file when the calling thread is
 * interrupted, so a request thread or a shutdown that interrupts cannot take the spool down. A
 * directory can only be forced through a {@code FileChannel}; that runs on a thread of its own that
 * nothing interrupts.
 */
final class DiskFiles implements SpoolFiles {

  static final DiskFiles INSTANCE = new DiskFiles();

  private static final ExecutorService DIRECTORY_SYNC =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("audit-spool-directory-sync").daemon().factory());

  private DiskFiles() {}

  @Override
  public SpoolFile create(Path file) throws IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    return new Disk(new RandomAccessFile(file.toFile(), "rw"));
  }

  @Override
  public SpoolFile openForReading(Path file) throws IOException {
    return new Disk(new RandomAccessFile(file.toFile(), "r"));
  }

  @Override
  public SpoolFile openForUpdate(Path file) throws IOException {
    return new Disk(new RandomAccessFile(file.toFile(), "rw"));
  }

  @Override
  public void forceDirectory(Path directory) throws IOException {
    Future<Void> done =
        DIRECTORY_SYNC.submit(
            () -> {
              try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
              }
              return null;
            });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw asIoException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static IOException asIoException(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof UncheckedIOException unchecked) {
      return unchecked.getCause();
    }
    return new IOException("directory sync failed", cause);
  }

  private static final class Disk implements SpoolFile {

    private final RandomAccessFile file;

    Disk(RandomAccessFile file) {
      this.file = file;
    }

    @Override
    public synchronized void write(ByteBuffer buffer, long position) throws IOException {
      file.seek(position);
      if (buffer.hasArray()) {
        file.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        buffer.position(buffer.limit());
      } else {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        file.write(bytes);
      }
    }

    @Override
    public synchronized int read(ByteBuffer buffer, long position) throws IOException {
      file.seek(position);
      int n;
      if (buffer.hasArray()) {
        n = file.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        if (n > 0) {
          buffer.position(buffer.position() + n);
        }
      } else {
        byte[] bytes = new byte[buffer.remaining()];
        n = file.read(bytes);
        if (n > 0) {
          buffer.put(bytes, 0, n);
        }
      }
      return n;
    }

    @Override
    public void force() throws IOException {
      file.getFD().sync();
    }

    @Override
    public synchronized long size() throws IOException {
      return file.length();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
