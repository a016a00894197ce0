package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import java.io.IOException;
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
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one batch of spooled events to DataStorage, as {@link AuditDelivery} describes: splits a
 * refused batch until the bad event is alone, judges a lone refusal only once DataStorage has shown
 * it takes other events, moves bad events to the dead-letter file, and retries what is not bad.
 * Remembers lone refusals across batches until they are acknowledged.
 */
final class BatchDelivery {

  // under the delivery's name, which log configurations already know
  private static final Logger log = LoggerFactory.getLogger(AuditDelivery.class);

  private final Spool spool;
  private final DataStorageClient client;
  private final DeadLetterFile deadLetters;
  private final AuditDelivery.Settings settings;
  private final Clock clock;
  private final AuditTelemetry telemetry;
  private final Backoff backoff;
  private final DataStorageStatus status;
  private final DeliveryStop stop;
  // events refused alone, and when first: kept across delivery rounds until acknowledged
  private final Map<Long, Instant> refusedAlone = new HashMap<>();
  // events DataStorage accepted a request after refusing, sent alone once more
  private final Set<Long> resent = new HashSet<>();

  BatchDelivery(
      Spool spool,
      DataStorageClient client,
      DeadLetterFile deadLetters,
      AuditDelivery.Settings settings,
      Clock clock,
      AuditTelemetry telemetry,
      Backoff backoff,
      DataStorageStatus status,
      DeliveryStop stop) {
    this.spool = spool;
    this.client = client;
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.clock = clock;
    this.telemetry = telemetry;
    this.backoff = backoff;
    this.status = status;
    this.stop = stop;
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
  void deliver(List<SpoolRecord> batch) throws IOException, InterruptedException {
    Deque<List<SpoolRecord>> parts = new ArrayDeque<>();
    parts.add(batch);
    // events refused alone since DataStorage last accepted a request: perhaps bad events, perhaps
    // DataStorage refusing everything (a wrong URL, a stricter version rolling out)
    List<Refusal> undecided = new ArrayList<>();
    while (!parts.isEmpty() && !stop.stopping()) {
      List<SpoolRecord> part = parts.peekFirst();
      if (part.size() == 1 && resent.contains(part.getFirst().seq())) {
        // its second solo attempt: not before a backoff period has passed since its first refusal
        Instant due = refusedAlone.get(part.getFirst().seq()).plus(settings.maxBackoff());
        Duration wait = Duration.between(clock.instant(), due);
        if (wait.isPositive() && !stop.pause(wait)) {
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
    if (!undecided.isEmpty() && !stop.stopping()) {
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
    if (!status.alreadyFailingWith(problem)) {
      log.error("{}; {} events wait in the spool, retrying with backoff", problem, spool.pending());
    }
    status.failing(problem);
    stop.pause(backoff.next());
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
    if (status.ok() || backoff.failures() == 0) {
      log.warn(
          "DataStorage is not accepting audit events ({}); {} events wait in the spool, retrying",
          problem,
          spool.pending());
    }
    status.failing(problem);
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
    return stop.pause(pause);
  }

  private void recovered() {
    if (backoff.failures() > 0) {
      log.info("DataStorage accepts audit events again");
    }
    backoff.reset();
    status.reachable();
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

  private List<Duration> latencies(List<SpoolRecord> part) {
    Instant now = clock.instant();
    return part.stream().map(r -> Duration.between(r.appendedAt(), now)).toList();
  }
}
