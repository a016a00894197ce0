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
 * When this replica first saw each fingerprint's claim, on this replica's own clock. A claim is
 * judged fresh for {@link #OPENING_WINDOW} from that first sighting, never by the time its claimant
 * stamped on it, so replicas whose clocks differ never compare one clock with another (client-go's
 * leader election keeps an observed time per lease record for the same reason).
 *
 * <p>A sighting ends no later than the window after it: a claimant that died blocks nothing longer
 * than that. A replica that has not seen a claim before (one just started, or one whose sighting
 * was forgotten to make room) judges it fresh for a whole window from now, which can only make it
 * wait or collide where it need not, never move past an incident still being created.
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

  /**
   * Notes the claim as seen now, unless this replica already saw this version of it, and tells
   * whether its claimant may still be creating the incident it claimed. A claim that does not exist
   * is never opening.
   */
  boolean opening(Fingerprint fingerprint, IncidentClaim claim) {
    return claim.version().isPresent()
        && seenFor(fingerprint, claim.version().get()).compareTo(OPENING_WINDOW) < 0;
  }

  /** How long ago this replica first saw the claim's version; zero when it is new to it. */
  Duration seenFor(Fingerprint fingerprint, IncidentClaim claim) {
    return claim.version().map(v -> seenFor(fingerprint, v)).orElse(Duration.ZERO);
  }

  private synchronized Duration seenFor(Fingerprint fingerprint, String version) {
    Instant now = clock.instant();
    Sighting known = sightings.get(fingerprint.value());
    if (known == null || !known.version().equals(version)) {
      sightings.put(fingerprint.value(), new Sighting(version, now));
      return Duration.ZERO;
    }
    Duration since = Duration.between(known.firstSeen(), now);
    return since.isNegative() ? Duration.ZERO : since;
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
