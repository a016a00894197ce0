package ai.kubernaut.gateway.audit.spool;

import ai.kubernaut.gateway.testing.Latches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The spool's real files, with faults on demand in its segment files: the next write or force
 * throws an {@link IOException} once (afterwards the file works again, as a Linux file does after
 * it reported a write-back error to one fsync), or the next force blocks until released; or a byte
 * range of a file cannot be read at all, like a bad sector, for every read that touches it. Counts
 * the faults it injected, so a test can prove its fault happened.
 */
public final class FaultyFiles implements SpoolFiles {

  private final SpoolFiles disk = DiskFiles.INSTANCE;
  private final AtomicBoolean failWrite = new AtomicBoolean();
  private final AtomicBoolean failForce = new AtomicBoolean();
  private final AtomicReference<Pause> pauseForce = new AtomicReference<>();
  private final AtomicReference<Pause> pauseRead = new AtomicReference<>();
  private final AtomicInteger injected = new AtomicInteger();
  private final List<Path> forcedDirectories = new CopyOnWriteArrayList<>();
  private final Map<Path, long[]> unreadable = new ConcurrentHashMap<>();
  private final Set<Object> unopenable = ConcurrentHashMap.newKeySet();

  /** A force held until {@link #release()}; {@link #reached()} counts down once it is held. */
  public static final class Pause {
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public CountDownLatch reached() {
      return reached;
    }

    public void release() {
      released.countDown();
    }

    /** Waits for the release without reacting to interrupts, as a slow disk would. */
    private void hold() {
      reached.countDown();
      Latches.awaitUninterruptibly(released);
    }
  }

  /** Makes the next write to a segment fail once. */
  public void failNextWrite() {
    failWrite.set(true);
  }

  /** Makes the next force of a segment fail once. */
  public void failNextForce() {
    failForce.set(true);
  }

  /** Holds the next force of a segment until the returned pause is released. */
  public Pause pauseNextForce() {
    Pause pause = new Pause();
    pauseForce.set(pause);
    return pause;
  }

  /** Holds the next read of a file opened for reading until the returned pause is released. */
  public Pause pauseNextRead() {
    Pause pause = new Pause();
    pauseRead.set(pause);
    return pause;
  }

  /**
   * Makes the 512-byte sectors holding bytes {@code from} (inclusive) to {@code to} (exclusive) of
   * {@code file} unreadable: every read that touches them fails with an I/O error, as a bad sector
   * does (a device reads and fails whole sectors), until {@link #readable(Path)}.
   */
  public void unreadable(Path file, long from, long to) {
    long sector = UnreadableAsDamaged.SECTOR;
    long end = to > Long.MAX_VALUE - sector ? Long.MAX_VALUE : (to + sector - 1) / sector * sector;
    unreadable.put(file.toAbsolutePath(), new long[] {from - from % sector, end});
  }

  /**
   * Makes every attempt to open the file now at {@code file} for reading fail with an I/O error,
   * under whatever name (a damaged inode); a new file created at that path opens.
   */
  public void unopenable(Path file) throws IOException {
    unopenable.add(fileKey(file));
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  /** Makes {@code file} readable again. */
  public void readable(Path file) {
    unreadable.remove(file.toAbsolutePath());
  }

  /** How many faults were injected so far. */
  public int injected() {
    return injected.get();
  }

  /** Every directory forced so far, in order. */
  public List<Path> forcedDirectories() {
    return List.copyOf(forcedDirectories);
  }

  @Override
  public SpoolFile create(Path file) throws IOException {
    return wrap(file, disk.create(file));
  }

  @Override
  public SpoolFile openForReading(Path file) throws IOException {
    if (!unopenable.isEmpty() && unopenable.contains(fileKey(file))) {
      injected.incrementAndGet();
      throw new IOException("injected open error (EIO) on " + file.getFileName());
    }
    SpoolFile opened = disk.openForReading(file);
    return new SpoolFile() {
      @Override
      public void write(ByteBuffer buffer, long position) throws IOException {
        opened.write(buffer, position);
      }

      @Override
      public int read(ByteBuffer buffer, long position) throws IOException {
        Pause pause = pauseRead.getAndSet(null);
        if (pause != null) {
          injected.incrementAndGet();
          pause.hold();
        }
        failIfUnreadable(file, buffer, position);
        return opened.read(buffer, position);
      }

      @Override
      public void force() throws IOException {
        opened.force();
      }

      @Override
      public long size() throws IOException {
        return opened.size();
      }

      @Override
      public void close() throws IOException {
        opened.close();
      }
    };
  }

  @Override
  public SpoolFile openForUpdate(Path file) throws IOException {
    return disk.openForUpdate(file);
  }

  @Override
  public void forceDirectory(Path directory) throws IOException {
    forcedDirectories.add(directory);
    disk.forceDirectory(directory);
  }

  private void failIfUnreadable(Path file, ByteBuffer buffer, long position) throws IOException {
    long[] range = unreadable.get(file.toAbsolutePath());
    if (range != null && position < range[1] && position + buffer.remaining() > range[0]) {
      injected.incrementAndGet();
      throw new IOException("injected read error (EIO) on " + file.getFileName());
    }
  }

  private SpoolFile wrap(Path path, SpoolFile file) {
    if (!path.getFileName().toString().startsWith("segment-")) {
      return file;
    }
    return new SpoolFile() {
      @Override
      public void write(ByteBuffer buffer, long position) throws IOException {
        if (failWrite.compareAndSet(true, false)) {
          injected.incrementAndGet();
          // half the bytes reach the file before the error, as with a disk that fills up
          ByteBuffer half = buffer.duplicate();
          half.limit(half.position() + half.remaining() / 2);
          file.write(half, position);
          throw new IOException("injected write error on " + path.getFileName());
        }
        file.write(buffer, position);
      }

      @Override
      public int read(ByteBuffer buffer, long position) throws IOException {
        failIfUnreadable(path, buffer, position);
        return file.read(buffer, position);
      }

      @Override
      public void force() throws IOException {
        Pause pause = pauseForce.getAndSet(null);
        if (pause != null) {
          injected.incrementAndGet();
          pause.hold();
        }
        if (failForce.compareAndSet(true, false)) {
          injected.incrementAndGet();
          throw new IOException("injected fsync error (EIO) on " + path.getFileName());
        }
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
    };
  }
}
