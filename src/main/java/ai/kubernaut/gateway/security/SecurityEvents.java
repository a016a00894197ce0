package ai.kubernaut.gateway.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs security-relevant rejections as structured events ({@code security_event}, {@code reason},
 * {@code client}, {@code request_id}, optional {@code user}). Never pass a token or a header value.
 *
 * <p>A flood of refusals must not become a flood of log lines (disk, CPU and the log pipeline are
 * what an attacker would then exhaust): each reason logs at most {@value #LINES_PER_SECOND} lines a
 * second, in bursts of twice that, and the next line it logs says how many were left out ({@code
 * suppressed}).
 */
public final class SecurityEvents {

  static final int LINES_PER_SECOND = 20;

  private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);
  private static final Map<String, Budget> budgets = new ConcurrentHashMap<>();

  private SecurityEvents() {}

  public static void rejected(String reason, String client, String requestId, String user) {
    long suppressed = budgets.computeIfAbsent(reason, r -> new Budget()).take();
    if (suppressed < 0) {
      return;
    }
    log.atWarn()
        .addKeyValue("security_event", reason)
        .addKeyValue("client", client)
        .addKeyValue("request_id", requestId)
        .addKeyValue("user", user)
        .addKeyValue("suppressed", suppressed)
        .log(
            "security_event={} client={} request_id={} user={}{}",
            reason,
            client,
            requestId,
            user,
            suppressed == 0 ? "" : " suppressed=" + suppressed);
  }

  /** A token bucket of log lines for one reason. */
  private static final class Budget {
    private static final double CAPACITY = 2.0 * LINES_PER_SECOND;
    private double available = CAPACITY;
    private long refilled = System.nanoTime();
    private long suppressed;

    /** The lines left out since the last one logged, or -1 when this one must be left out. */
    synchronized long take() {
      long now = System.nanoTime();
      available = Math.min(CAPACITY, available + (now - refilled) / 1e9 * LINES_PER_SECOND);
      refilled = now;
      if (available < 1) {
        suppressed++;
        return -1;
      }
      available -= 1;
      long left = suppressed;
      suppressed = 0;
      return left;
    }
  }
}
