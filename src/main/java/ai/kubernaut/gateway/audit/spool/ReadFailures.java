package ai.kubernaut.gateway.audit.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sectors of spool segments that failed to read, and since when. A read error is not loss: a
 * device may fail reads for a moment (a path failover, a network volume's hiccup). A sector is
 * declared unreadable only once it has failed on at least {@link #MIN_ATTEMPTS} reads spread over
 * {@link #LOSS_AFTER} or more without one succeeding in between; from then on it reads as zeros, so
 * the records there are skipped as damaged. One success forgets its failures.
 */
final class ReadFailures {

  private static final Logger log = LoggerFactory.getLogger(ReadFailures.class);

  /** How long a sector must keep failing before its records are declared lost. */
  static final Duration LOSS_AFTER = Duration.ofMinutes(2);

  /** How many failed reads of a sector that takes, at least. */
  static final int MIN_ATTEMPTS = 3;

  private record Sector(Path file, long offset) {}

  private static final class Failing {
    final Instant since;
    int attempts;
    IOException last;

    Failing(Instant since) {
      this.since = since;
    }
  }

  private final Clock clock;
  private final Duration lossAfter;
  private final int minAttempts;
  private final Map<Sector, Failing> failing = new LinkedHashMap<>();
  private final Set<Sector> givenUp = new HashSet<>();

  ReadFailures(Clock clock, Duration lossAfter, int minAttempts) {
    this.clock = clock;
    this.lossAfter = lossAfter;
    this.minAttempts = minAttempts;
  }

  ReadFailures(Clock clock) {
    this(clock, LOSS_AFTER, MIN_ATTEMPTS);
  }

  /** Notes a failed read of the sector at {@code offset}; true once it is declared unreadable. */
  synchronized boolean failed(Path file, long offset, IOException error) {
    Sector sector = new Sector(file, offset);
    if (givenUp.contains(sector)) {
      return true;
    }
    Instant now = clock.instant();
    if (failing.isEmpty()) {
      log.error(
          "audit spool segment {}: bytes from {} cannot be read ({}); delivery waits and retries,"
              + " and the records there are declared lost only if they keep failing for {}",
          file.getFileName(),
          offset,
          error.toString(),
          lossAfter);
    }
    Failing f = failing.computeIfAbsent(sector, s -> new Failing(now));
    f.attempts++;
    f.last = error;
    if (f.attempts >= minAttempts && Duration.between(f.since, now).compareTo(lossAfter) >= 0) {
      failing.remove(sector);
      givenUp.add(sector);
      return true;
    }
    return false;
  }

  /**
   * Notes that bytes {@code from} to {@code to} (exclusive) of {@code file} read fine: the sectors
   * they touch are readable again (a device reads and fails whole sectors).
   */
  synchronized void succeeded(Path file, long from, long to) {
    boolean wasFailing = !failing.isEmpty();
    int size = UnreadableAsDamaged.SECTOR;
    for (long offset = from - from % size; offset < to; offset += size) {
      Sector sector = new Sector(file, offset);
      failing.remove(sector);
      givenUp.remove(sector);
    }
    if (wasFailing && failing.isEmpty()) {
      log.info("audit spool segment {} reads again; delivery continues", file.getFileName());
    }
  }

  /** Whether any sector is failing or declared unreadable. */
  synchronized boolean any() {
    return !failing.isEmpty() || !givenUp.isEmpty();
  }

  /** Forgets the failures of a file that is gone (deleted or set aside). */
  synchronized void forget(Path file) {
    boolean wasFailing = !failing.isEmpty();
    failing.keySet().removeIf(sector -> sector.file().equals(file));
    givenUp.removeIf(sector -> sector.file().equals(file));
    if (wasFailing && failing.isEmpty()) {
      log.info("audit spool: no segment is failing to read any more; delivery continues");
    }
  }

  /** What cannot be read at the moment, if anything. */
  synchronized Optional<String> problem() {
    return failing.entrySet().stream()
        .findFirst()
        .map(
            e ->
                "audit spool cannot read bytes from "
                    + e.getKey().offset()
                    + " of segment "
                    + e.getKey().file().getFileName()
                    + " since "
                    + e.getValue().since
                    + " ("
                    + e.getValue().last
                    + "); retrying, declared lost if it keeps failing for "
                    + lossAfter);
  }
}
