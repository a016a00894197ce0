package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.audit.spool.SpoolReadException;
import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import ai.kubernaut.gateway.config.GatewayConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers spooled audit events to DataStorage in order, from one background thread: a batch when
 * {@code batchSize} events wait or the oldest has waited {@code flushInterval}. A batch leaves the
 * spool only after a 2xx, and no batch is sent before the one ahead of it was accepted (a batch
 * whose request timed out is sent again, so DataStorage may hold it twice, never out of order once
 * duplicates are removed). Unavailability (network errors, 401, 403, 408, 429, 5xx) is retried
 * forever with capped exponential backoff; after a 401 the token is read again.
 *
 * <p>An endpoint that does not take batches at all (404, 405, 410, 415: a wrong URL or DataStorage
 * version) or sends them elsewhere (a 3xx, not followed) is a configuration problem: the events
 * stay in the spool, DataStorage is reported not usable, and the batch is retried with backoff. Any
 * other 4xx may mean a bad event: the batch is split until the event is alone. An event refused
 * alone is moved to the bounded dead-letter file only once DataStorage has shown, twice, that it
 * takes other events: it accepted a request after the event's first refusal (then the event is sent
 * once more, no sooner than {@code maxBackoff} after that refusal, so a refusal that lasts a moment
 * is outwaited) and again after its second. 409, 423 and 425 (a conflict, a lock, too early) say
 * "not now", so they are retried like unavailability. A DataStorage that refuses every event of
 * what is left of a batch, even after accepting part of it, is taken to refuse batches, handled as
 * above.
 */
public final class AuditDelivery implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditDelivery.class);
  private static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

  /** The file in the spool directory that keeps events DataStorage refused for good. */
  public static final String DEAD_LETTER_FILE = "dead-letter.jsonl";

  /** The dead-letter file's share of the spool's size limit, which it counts towards. */
  private static final int DEAD_LETTER_SHARE = 4;

  /**
   * How delivery paces itself.
   *
   * @param batchSize most events per request
   * @param flushInterval longest an event waits for a batch to fill
   * @param initialBackoff pause after the first failed attempt
   * @param maxBackoff longest pause between attempts
   * @param probeInterval how often an idle gateway checks DataStorage's health endpoint
   */
  public record Settings(
      int batchSize,
      Duration flushInterval,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration probeInterval) {}

  private final Spool spool;
  private final DataStorageClient client;
  private final DeadLetterFile deadLetters;
  private final Settings settings;
  private final Clock clock;
  private final AuditTelemetry telemetry;
  private final Backoff backoff;
  private final Thread thread;
  private final DataStorageStatus status = new DataStorageStatus();
  private final DeliveryStop stop = new DeliveryStop();
  private final BatchDelivery batches;
  private Instant lastProbe = Instant.MIN;

  AuditDelivery(
      Spool spool,
      DataStorageClient client,
      DeadLetterFile deadLetters,
      Settings settings,
      Clock clock,
      AuditTelemetry telemetry) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.client = Objects.requireNonNull(client, "client");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    this.batches =
        new BatchDelivery(
            spool, client, deadLetters, settings, clock, telemetry, backoff, status, stop);
    this.thread = Thread.ofPlatform().name("audit-delivery").daemon().unstarted(this::run);
  }

  /** Builds the DataStorage client from the configuration and starts delivering {@code spool}. */
  public static AuditDelivery start(
      Spool spool,
      GatewayConfig.DataStorage dataStorage,
      GatewayConfig.Audit audit,
      ObjectMapper json,
      Clock clock,
      AuditTelemetry telemetry,
      Tracer tracer) {
    DataStorageClient client =
        new DataStorageClient(
            URI.create(dataStorage.url()),
            URI.create(dataStorage.healthUrl()),
            dataStorage.timeout(),
            new ServiceAccountToken(audit.tokenFile()),
            Optional.of(TrustBundle.jdkRootsPlus(audit.caBundles()).sslContext()),
            tracer);
    DeadLetterFile deadLetters =
        new DeadLetterFile(
            spool.directory().resolve(DEAD_LETTER_FILE),
            json,
            clock,
            spool.maxBytes() / DEAD_LETTER_SHARE);
    spool.countTowardsFull(deadLetters::bytes);
    AuditDelivery delivery =
        new AuditDelivery(
            spool,
            client,
            deadLetters,
            new Settings(
                dataStorage.batchSize(),
                dataStorage.flushInterval(),
                audit.initialBackoff(),
                audit.maxBackoff(),
                audit.dataStorageProbeInterval()),
            clock,
            telemetry);
    delivery.start();
    return delivery;
  }

  void start() {
    thread.start();
  }

  /**
   * Null while DataStorage accepts events (or answered its last probe) and the spool can be read,
   * else what is wrong.
   */
  public String dataStorageProblem() {
    Optional<String> unreadable = spool.readProblem();
    if (unreadable.isPresent()) {
      return unreadable.get();
    }
    return status.problem();
  }

  public boolean dataStorageReachable() {
    return status.ok();
  }

  private void run() {
    while (!stop.stopping()) {
      try {
        if (batchReady()) {
          List<SpoolRecord> batch = spool.peek(settings.batchSize(), MAX_BATCH_BYTES);
          if (batch.isEmpty()) {
            spool.awaitPending(Long.MAX_VALUE, settings.flushInterval());
          } else {
            batches.deliver(batch);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (SpoolReadException e) {
        // logged by the spool once per episode; the bytes may read again in a moment
        log.debug("audit spool read failed; retrying with backoff", e);
        telemetry.deliveryFailed();
        if (!stop.pause(backoff.next())) {
          return;
        }
      } catch (IOException | RuntimeException | Error e) {
        // an Error (out of memory, say) must not end delivery for good: the spool would only fill
        if (stop.stopping()) {
          return;
        }
        log.error("audit delivery failed unexpectedly; retrying", e);
        if (!stop.pause(backoff.next())) {
          return;
        }
      }
    }
  }

  /** Waits a while for a batch; true when one should be sent now. */
  private boolean batchReady() throws InterruptedException {
    long pending = spool.pending();
    if (pending >= settings.batchSize()) {
      return true;
    }
    Instant now = clock.instant();
    if (pending == 0) {
      if (!lastProbe.isAfter(now.minus(settings.probeInterval()))) {
        probe();
        lastProbe = now;
      }
      spool.awaitPending(1, settings.probeInterval());
      return false;
    }
    Optional<Instant> oldest = spool.oldestPending();
    if (oldest.isEmpty()) {
      return true; // the record at the cursor cannot be read: peek skips it as lost
    }
    Duration waited = Duration.between(oldest.get(), now);
    Duration left = settings.flushInterval().minus(waited);
    if (left.isNegative() || left.isZero()) {
      return true;
    }
    spool.awaitPending(settings.batchSize(), left);
    return false;
  }

  /** Bytes in the dead-letter file. */
  public long deadLetterBytes() {
    return deadLetters.bytes();
  }

  private void probe() throws InterruptedException {
    try {
      DataStorageClient.Answer answer = client.probe();
      if (answer.accepted()) {
        status.reachable();
      } else {
        status.failing("health check answered " + answer.status());
      }
    } catch (IOException e) {
      status.failing("unreachable: " + e);
    }
  }

  /**
   * Stops delivering. While DataStorage is reachable, first waits up to {@code drainBudget} for the
   * spool to empty; whatever is left is delivered by the next start.
   */
  public void close(Duration drainBudget) {
    if (status.ok() && !drainBudget.isZero()) {
      try {
        spool.awaitDelivered(drainBudget);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    close();
  }

  @Override
  public void close() {
    stop.stop();
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
