package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.SignalObserver;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends audit events to a local JSON-lines file, one event per line, written before the sender is
 * answered. Used when no DataStorage service is configured (embedded mode, local runs).
 */
public final class JsonLinesAuditTrail implements SignalObserver, AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final AuditEventFactory events;
  private final ObjectMapper json;
  private final ReentrantLock lock = new ReentrantLock();

  public JsonLinesAuditTrail(Path file, AuditEventFactory events, ObjectMapper json) {
    this.file = file;
    this.events = events;
    this.json = json;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      this.channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open audit file " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void completed(Outcome outcome, RequestContext context) {
    append(events.eventsFor(outcome, context));
  }

  /** Appends an event that is not about a signal, such as a configuration reload. */
  public void record(AuditEvent event) {
    append(List.of(event));
  }

  private void append(List<AuditEvent> batch) {
    if (batch.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (AuditEvent event : batch) {
      lines.append(serialise(event)).append('\n');
    }
    lock.lock();
    try {
      var buffer = java.nio.ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to audit file " + file, e);
    } finally {
      lock.unlock();
    }
  }

  private String serialise(AuditEvent event) {
    try {
      return json.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit events always serialise", e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
