package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.audit.AuditEventFactory;
import ai.kubernaut.gateway.audit.AuditLog;
import ai.kubernaut.gateway.config.ConfigException;
import ai.kubernaut.gateway.config.ConfigSource;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a new {@code logging.level} from the configuration file while the gateway runs. The file
 * is read by content, not by modification events: a mounted ConfigMap changes by swapping a {@code
 * ..data} symlink in its directory, which leaves the file's own path and timestamp alone. A file
 * that does not parse or validate keeps the old level; other changed keys need a restart.
 */
final class ConfigFileWatcher implements AutoCloseable {

  static final String COMPONENT = "log_level";
  private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

  private final Path file;
  private final ConfigSource source;
  private final AuditLog audit;
  private final AuditEventFactory events;
  private final ScheduledExecutorService poller;
  private GatewayConfig applied;
  private String appliedDigest;

  private ConfigFileWatcher(
      GatewayConfig config, Path file, AuditLog audit, AuditEventFactory events) {
    this.file = file;
    this.source = config.source();
    this.audit = Objects.requireNonNull(audit, "audit");
    this.events = Objects.requireNonNull(events, "events");
    this.applied = config;
    this.appliedDigest = digest().orElse("");
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("config-file-watcher").daemon().factory());
  }

  /** Starts watching the file {@code config} was read from; empty without a file. */
  static Optional<ConfigFileWatcher> start(
      GatewayConfig config, AuditLog audit, AuditEventFactory events) {
    return config
        .source()
        .file()
        .map(
            file -> {
              ConfigFileWatcher watcher = new ConfigFileWatcher(config, file, audit, events);
              Duration interval = config.logging().reloadInterval();
              watcher.poller.scheduleWithFixedDelay(
                  watcher::checkSafely,
                  interval.toMillis(),
                  interval.toMillis(),
                  TimeUnit.MILLISECONDS);
              return watcher;
            });
  }

  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      log.error("checking {} for a new logging.level failed", file, e);
    }
  }

  private void check() {
    Optional<String> digest = digest();
    if (digest.isEmpty() || digest.get().equals(appliedDigest)) {
      return;
    }
    appliedDigest = digest.get();
    GatewayConfig next;
    try {
      next = source.reread();
    } catch (ConfigException e) {
      String reason = String.join("; ", e.problems());
      log.error(
          "configuration file {} changed but is invalid; keeping logging.level {}: {}",
          file,
          applied.logging().level(),
          reason);
      audit.record(events.configRejected(COMPONENT, reason));
      return;
    }
    if (applied.differsBeyondReloadable(next)) {
      log.warn(
          "configuration file {} changed keys other than logging.level; restart the gateway to"
              + " apply them",
          file);
    }
    String level = next.logging().level();
    if (!level.equals(applied.logging().level())) {
      LoggingSetup.level(level);
      log.info("logging.level is now {} (was {})", level, applied.logging().level());
      audit.record(events.configReloaded(COMPONENT, Optional.of(appliedDigest.substring(0, 12))));
    }
    applied = next;
  }

  /** The SHA-256 of the file's content, following symlinks; empty while it cannot be read. */
  private Optional<String> digest() {
    try {
      return Optional.of(Sha256.hexOfParts(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read configuration file {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Stops watching. A check under way (it may be writing an audit event) finishes first: the thread
   * is interrupted only if it has not within a few seconds.
   */
  @Override
  public void close() {
    poller.shutdown();
    try {
      if (!poller.awaitTermination(5, TimeUnit.SECONDS)) {
        poller.shutdownNow();
      }
    } catch (InterruptedException e) {
      poller.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
