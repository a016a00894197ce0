package ai.kubernaut.gateway.signal;

import java.io.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How old each fingerprint's claim is, as this replica knows it: at least as old as the API
 * server's own stamps say ({@link IncidentClaim#serverAge()}: the server's write time against the
 * time on its answer, both on the server's clock), and at least as long as this replica has seen
 * it, on its own clock. A claim is judged fresh for {@link #OPENING_WINDOW} of that age. The
 * claimant's and the reader's wall clocks never enter it, so replicas whose clocks differ never
 * compare one clock with another (client-go's leader election keeps an observed time per lease
 * record for the same reason).
 *
 * <p>A claim ends no later than the window after this replica first saw it: a claimant that died
 * blocks nothing longer than that. Where the server gives its stamps, a claim older than the window
 * on the server's clock has ended even at first sight, so a replica just started, or one whose
 * sighting was forgotten to make room, does not wait for it. Where it gives none (fabric8's mock
 * server), such a replica judges the claim fresh for a whole window from now, which can only make
 * it wait or collide where it need not, never move past an incident still being created.
 */
public final class ClaimSightings {

  /** How long a claimant may take to create the incident it claimed. */
  public static final Duration OPENING_WINDOW = Duration.ofSeconds(30);

  /** Fingerprints whose sighting is kept; beyond that, the least recently judged are forgotten. */
  static final int REMEMBERED = 10_000;

  private record Sighting(String version, Instant firstSeen) {}

  private final Clock clock;
  private final Map<String, Sighting> sightings = new Recent();

  /**
   * @param clock measures the time since a sighting; only its differences are used
   */
  public ClaimSightings(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Sightings measured on {@link System#nanoTime()}, which steps of the wall clock do not move. */
  public static ClaimSightings onMonotonicClock() {
    return new ClaimSightings(new MonotonicClock());
  }

  /** Now, on the clock claims' ages are measured on. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Notes the claim as seen now, unless this replica already saw this version of it, and tells
   * whether its claimant may still be creating the incident it claimed. A claim that does not exist
   * is never opening.
   */
  boolean opening(Fingerprint fingerprint, IncidentClaim claim) {
    return opening(fingerprint, claim, clock.instant());
  }

  /**
   * Like {@link #opening(Fingerprint, IncidentClaim)}, judged as of {@code listedAt} (an instant of
   * {@link #now()} no later than now): when the incidents the decision rests on were listed. An
   * incident its claimant created before then is in that list; one that may land after it is not,
   * so the claim must have ended by then.
   */
  boolean opening(Fingerprint fingerprint, IncidentClaim claim, Instant listedAt) {
    if (claim.version().isEmpty()) {
      return false;
    }
    Instant firstSeen = firstSeen(fingerprint, claim);
    return Duration.between(firstSeen, listedAt).compareTo(OPENING_WINDOW) < 0;
  }

  /**
   * Notes a claim this replica wrote as seen from {@code sentAt} ({@link #now()} before the write
   * was sent), not from when the answer came back: the claimant's own create must reach the server
   * within the window measured from then ({@link CreateWindow}), so a slow answer does not make it
   * wait out its own claim for longer than a reader would.
   */
  synchronized void wrote(Fingerprint fingerprint, IncidentClaim claim, Instant sentAt) {
    if (claim.version().isEmpty()) {
      return;
    }
    Sighting known = sightings.get(fingerprint.value());
    if (known == null
        || !known.version().equals(claim.version().get())
        || sentAt.isBefore(known.firstSeen())) {
      sightings.put(fingerprint.value(), new Sighting(claim.version().get(), sentAt));
    }
  }

  /** How old the claim is at least, as this replica knows it; zero when it is new to it. */
  Duration seenFor(Fingerprint fingerprint, IncidentClaim claim) {
    if (claim.version().isEmpty()) {
      return Duration.ZERO;
    }
    Duration since = Duration.between(firstSeen(fingerprint, claim), clock.instant());
    return since.isNegative() ? Duration.ZERO : since;
  }

  /**
   * The earliest instant, on this replica's clock, by which the claim's version certainly existed:
   * its first sighting, or earlier by as much as the server's stamps say it had aged by then.
   */
  private synchronized Instant firstSeen(Fingerprint fingerprint, IncidentClaim claim) {
    String version = claim.version().get();
    Instant byServer = clock.instant().minus(claim.serverAge());
    Sighting known = sightings.get(fingerprint.value());
    if (known == null || !known.version().equals(version) || byServer.isBefore(known.firstSeen())) {
      sightings.put(fingerprint.value(), new Sighting(version, byServer));
      return byServer;
    }
    return known.firstSeen();
  }

  /** Keeps the most recently judged sightings, within {@link #REMEMBERED}. */
  private static final class Recent extends LinkedHashMap<String, Sighting> {
    @Serial private static final long serialVersionUID = 1L;

    Recent() {
      super(64, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Sighting> eldest) {
      return size() > REMEMBERED;
    }
  }

  /** Elapsed time since an arbitrary origin, as an instant: only differences mean anything. */
  private static final class MonotonicClock extends Clock {
    private final long origin = System.nanoTime();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.EPOCH.plusNanos(System.nanoTime() - origin);
    }
  }
}
