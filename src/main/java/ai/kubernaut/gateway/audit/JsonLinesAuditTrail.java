package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.signal.AuditNotRecordedException;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events to a local JSON-lines file, one event per line, written before the sender is
 * answered. Used when no DataStorage service is configured (embedded mode, local runs).
 */
public final class JsonLinesAuditTrail implements AuditLog {

  private static final Logger log = LoggerFactory.getLogger(JsonLinesAuditTrail.class);

  private final Path file;
  private final String why;
  private final FileChannel channel;
  private final AuditEventFactory events;
  private final ObjectMapper json;
  private final ReentrantLock lock = new ReentrantLock();

  /** {@code why} says in the start-up log why events go to a file and not to DataStorage. */
  public JsonLinesAuditTrail(Path file, AuditEventFactory events, ObjectMapper json, String why) {
    this.file = file;
    this.why = why;
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
  public void record(Outcome outcome, RequestContext context) {
    try {
      append(events.eventsFor(outcome, context));
    } catch (UncheckedIOException e) {
      throw new AuditNotRecordedException(e.getMessage(), e.getCause());
    }
  }

  @Override
  public void record(AuditEvent event) {
    append(List.of(event));
  }

  @Override
  public Optional<String> refusal() {
    return Optional.empty();
  }

  @Override
  public Optional<String> failure() {
    return Optional.empty();
  }

  @Override
  public List<ReadinessCheck> readinessChecks() {
    return List.of();
  }

  @Override
  public String description() {
    return "audit events are appended to " + file.toAbsolutePath() + " (" + why + ")";
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
  public void close(Duration drainBudget) {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("closing the audit file {} failed", file, e);
    }
  }
}
