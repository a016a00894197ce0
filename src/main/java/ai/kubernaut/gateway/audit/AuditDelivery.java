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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

  /** What the gateway last learned about DataStorage. */
  private record State(boolean ok, String message) {}

  private final Spool spool;
  private final DataStorageClient client;
  private final DeadLetterFile deadLetters;
  private final Settings settings;
  private final Clock clock;
  private final AuditTelemetry telemetry;
  private final Backoff backoff;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile State state = new State(false, "not contacted yet");
  private Instant lastProbe = Instant.MIN;
  // events refused alone, and when first: kept across delivery rounds until acknowledged
  private final Map<Long, Instant> refusedAlone = new HashMap<>();
  // events DataStorage accepted a request after refusing, sent alone once more
  private final Set<Long> resent = new HashSet<>();

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
    State s = state;
    return s.ok() ? null : s.message();
  }

  public boolean dataStorageReachable() {
    return state.ok();
  }

  private void run() {
    while (!stopping) {
      try {
        if (batchReady()) {
          List<SpoolRecord> batch = spool.peek(settings.batchSize(), MAX_BATCH_BYTES);
          if (batch.isEmpty()) {
            spool.awaitPending(Long.MAX_VALUE, settings.flushInterval());
          } else {
            deliver(batch);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (SpoolReadException e) {
        // logged by the spool once per episode; the bytes may read again in a moment
        log.debug("audit spool read failed; retrying with backoff", e);
        telemetry.deliveryFailed();
        if (!pause(backoff.next())) {
          return;
        }
      } catch (IOException | RuntimeException | Error e) {
        // an Error (out of memory, say) must not end delivery for good: the spool would only fill
        if (stopping) {
          return;
        }
        log.error("audit delivery failed unexpectedly; retrying", e);
        if (!pause(backoff.next())) {
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

  /**
   * An event DataStorage refused, alone in its request.
   *
   * @param again whether DataStorage had accepted another request between an earlier refusal of
   *     this event and this one
   */
  private record Refusal(SpoolRecord record, DataStorageClient.Answer answer, boolean again) {}

  /**
   * Delivers one batch, splitting around refused events, retrying until done, stopped, or
   * DataStorage turns out to refuse batches (then the rest waits for the next round).
   */
  private void deliver(List<SpoolRecord> batch) throws IOException, InterruptedException {
    Deque<List<SpoolRecord>> parts = new ArrayDeque<>();
    parts.add(batch);
    // events refused alone since DataStorage last accepted a request: perhaps bad events, perhaps
    // DataStorage refusing everything (a wrong URL, a stricter version rolling out)
    List<Refusal> undecided = new ArrayList<>();
    while (!parts.isEmpty() && !stopping) {
      List<SpoolRecord> part = parts.peekFirst();
      if (part.size() == 1 && resent.contains(part.getFirst().seq())) {
        // its second solo attempt: not before a backoff period has passed since its first refusal
        Instant due = refusedAlone.get(part.getFirst().seq()).plus(settings.maxBackoff());
        Duration wait = Duration.between(clock.instant(), due);
        if (wait.isPositive() && !pause(wait)) {
          return;
        }
      }
      DataStorageClient.Answer answer = attempt(part);
      switch (answer.verdict()) {
        case ACCEPTED -> {
          parts.removeFirst();
          if (!undecided.isEmpty()) {
            if (undecided.stream().allMatch(Refusal::again)) {
              // refused alone twice, and DataStorage accepted a request after each time: bad
              if (!deadLetter(undecided)) {
                return;
              }
              undecided.clear();
            } else {
              // DataStorage takes events now; it may have refused the earlier ones only because
              // it refused everything until a moment ago. Each is sent alone once more (and this
              // part again after them) before one is taken to be bad.
              parts.addFirst(part);
              for (Refusal refusal : undecided.reversed()) {
                parts.addFirst(List.of(refusal.record()));
                resent.add(refusal.record().seq());
              }
              undecided.clear();
              break;
            }
          }
          acknowledge(part.getLast().seq());
          telemetry.sent(latencies(part));
          recovered();
        }
        case REFUSED -> {
          parts.removeFirst();
          if (part.size() > 1) {
            int half = part.size() / 2;
            parts.addFirst(part.subList(half, part.size()));
            parts.addFirst(part.subList(0, half));
          } else {
            SpoolRecord record = part.getFirst();
            refusedAlone.putIfAbsent(record.seq(), clock.instant());
            undecided.add(new Refusal(record, answer, resent.contains(record.seq())));
          }
        }
        case WRONG_ENDPOINT -> {
          notUsable(
              "DataStorage's audit batch endpoint "
                  + client.batchEndpoint()
                  + " "
                  + answer.describe()
                  + ": check datastorage.url and the DataStorage version; audit events stay in the"
                  + " spool");
          return;
        }
        case REDIRECTED -> {
          notUsable(
              "DataStorage's audit batch endpoint "
                  + client.batchEndpoint()
                  + " answered "
                  + answer.status()
                  + ", redirecting to "
                  + answer.location().orElse("(no Location header)")
                  + "; the gateway does not follow redirects with audit events: set"
                  + " datastorage.url to the address DataStorage serves them on; audit events stay"
                  + " in the spool");
          return;
        }
        case RETRY -> {
          if (!retryAfter(answer, part.size())) {
            return;
          }
        }
      }
    }
    if (!undecided.isEmpty() && !stopping) {
      notUsable(
          "DataStorage refused every one of "
              + undecided.size()
              + " audit events of a batch ("
              + undecided.getFirst().answer().describe()
              + "); taken as DataStorage (or a proxy before it) refusing batches, not as bad"
              + " events: they stay in the spool and are sent again");
    }
  }

  /**
   * Reports DataStorage not usable for audit events and pauses before the next attempt. The events
   * stay in the spool: only DataStorage accepting another event shows that one it refused is bad.
   */
  private void notUsable(String problem) {
    telemetry.deliveryFailed();
    if (state.ok() || !problem.equals(state.message())) {
      log.error("{}; {} events wait in the spool, retrying with backoff", problem, spool.pending());
    }
    state = new State(false, problem);
    pause(backoff.next());
  }

  /** Sends one request; a transport failure becomes a synthetic answer with status 0. */
  private DataStorageClient.Answer attempt(List<SpoolRecord> part) throws InterruptedException {
    try {
      return client.post(part);
    } catch (IOException e) {
      return DataStorageClient.Answer.none("unreachable: " + e);
    }
  }

  /** Records a failed attempt and pauses; false when delivery is stopping. */
  private boolean retryAfter(DataStorageClient.Answer answer, int events) {
    telemetry.deliveryFailed();
    String problem = answer.describe();
    if (state.ok() || backoff.failures() == 0) {
      log.warn(
          "DataStorage is not accepting audit events ({}); {} events wait in the spool, retrying",
          problem,
          spool.pending());
    }
    state = new State(false, problem);
    if (answer.status() == 401) {
      client.tokenRejected();
      if (backoff.failures() == 0 && !client.currentToken().equals(answer.tokenSent())) {
        backoff.next();
        return true;
      }
    }
    Duration pause = backoff.next();
    Optional<Duration> asked = answer.retryAfter();
    if (asked.isPresent() && asked.get().compareTo(pause) > 0) {
      pause =
          asked.get().compareTo(settings.maxBackoff()) < 0 ? asked.get() : settings.maxBackoff();
    }
    log.debug("retrying a batch of {} audit events in {} ms", events, pause.toMillis());
    return pause(pause);
  }

  private void recovered() {
    if (backoff.failures() > 0) {
      log.info("DataStorage accepts audit events again");
    }
    backoff.reset();
    state = new State(true, "reachable");
  }

  /**
   * Moves refused events to the dead-letter file and acknowledges each (they follow the last
   * acknowledged record without a gap); false, with nothing more moved, when the file is full.
   */
  private boolean deadLetter(List<Refusal> refusals) throws IOException {
    for (Refusal refusal : refusals) {
      DataStorageClient.Answer answer = refusal.answer();
      if (!deadLetters.append(refusal.record(), answer.status(), answer.body())) {
        notUsable(
            "the audit dead-letter file "
                + deadLetters.file()
                + " holds "
                + deadLetters.bytes()
                + " bytes and the next refused event does not fit in its limit of "
                + deadLetters.maxBytes()
                + "; move it away to let delivery continue past events DataStorage refuses");
        return false;
      }
      acknowledge(refusal.record().seq());
      telemetry.deadLettered(1);
      log.warn(
          "DataStorage refused an audit event for good ({}) while accepting others; moved it to {}",
          answer.describe(),
          deadLetters.file());
    }
    return true;
  }

  private void acknowledge(long seq) throws IOException {
    spool.acknowledge(seq);
    refusedAlone.keySet().removeIf(s -> s <= seq);
    resent.removeIf(s -> s <= seq);
  }

  /** Bytes in the dead-letter file. */
  public long deadLetterBytes() {
    return deadLetters.bytes();
  }

  private void probe() throws InterruptedException {
    try {
      DataStorageClient.Answer answer = client.probe();
      state =
          answer.accepted()
              ? new State(true, "reachable")
              : new State(false, "health check answered " + answer.status());
    } catch (IOException e) {
      state = new State(false, "unreachable: " + e);
    }
  }

  private List<Duration> latencies(List<SpoolRecord> part) {
    Instant now = clock.instant();
    return part.stream().map(r -> Duration.between(r.appendedAt(), now)).toList();
  }

  private boolean pause(Duration pause) {
    try {
      Thread.sleep(pause);
      return !stopping;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * Stops delivering. While DataStorage is reachable, first waits up to {@code drainBudget} for the
   * spool to empty; whatever is left is delivered by the next start.
   */
  public void close(Duration drainBudget) {
    if (state.ok() && !drainBudget.isZero()) {
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
    stopping = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
