package ai.kubernaut.gateway.http;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection the deadlines watch: where it is in its request cycle, and when that phase must
 * end. Guarded by its own monitor, as the connection's thread and the sweeper both use it.
 */
final class WatchedConnection {

  // under the deadlines' name, which log configurations already know
  private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);

  enum Phase {
    HEADERS,
    BODY,
    PROCESSING,
    IDLE,
    CLOSING
  }

  /** The deadlines in nanoseconds; zero for none, except {@code header}, which always applies. */
  record Timeouts(long header, long read, long write, long idle) {}

  final SocketChannel channel;
  final Object client;
  private final SocketAddress remote;
  private Phase phase = Phase.HEADERS;
  private long requestStart;
  private long requestRead;
  private long idleSince;
  private long deadline;

  /** Accepted at {@code now}; the first request's headers are due at {@code deadline}. */
  WatchedConnection(
      SocketChannel channel, SocketAddress remote, Object client, long now, long deadline) {
    this.channel = channel;
    this.remote = remote;
    this.client = client;
    this.requestStart = now;
    this.deadline = deadline;
  }

  /** Moves to {@code next} at {@code now}, due by that phase's timeout; never out of closing. */
  synchronized void enter(Phase next, long now, Timeouts timeouts) {
    if (phase == Phase.CLOSING) {
      return;
    }
    if (next == Phase.HEADERS && phase != Phase.HEADERS) {
      requestStart = now;
    }
    phase = next;
    if (next == Phase.IDLE) {
      idleSince = now;
    }
    if (next == Phase.PROCESSING) {
      requestRead = now;
    }
    deadline =
        switch (next) {
          case HEADERS -> requestStart + timeouts.header();
          case BODY -> timeouts.read() == 0 ? Long.MAX_VALUE : requestStart + timeouts.read();
          case PROCESSING ->
              timeouts.write() == 0 ? Long.MAX_VALUE : requestRead + timeouts.write();
          case IDLE -> timeouts.idle() == 0 ? Long.MAX_VALUE : now + timeouts.idle();
          case CLOSING -> now;
        };
  }

  /** Shuts our side down at once and leaves the socket open until {@code closeAt}. */
  synchronized void closing(long closeAt) {
    phase = Phase.CLOSING;
    deadline = closeAt;
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      log.debug("shutting down a refused connection's output failed", e);
    }
  }

  /**
   * Closes the connection when its phase is overdue at {@code now}, or when slots are {@code
   * pressed} and it has been idle for {@code pressuredIdle} nanoseconds, counting why; true when
   * closed.
   */
  synchronized boolean closeIfOverdue(
      long now, boolean pressed, long pressuredIdle, ConnectionMetrics metrics) {
    if (pressed && phase == Phase.IDLE && now - idleSince >= pressuredIdle) {
      metrics.idleUnderPressure();
      closeQuietly(channel);
      return true;
    }
    if (deadline == Long.MAX_VALUE || now - deadline < 0) {
      return false;
    }
    switch (phase) {
      case HEADERS -> metrics.headersTooSlow();
      case BODY -> metrics.bodyTooSlow();
      case PROCESSING -> metrics.responseTooSlow();
      default -> {}
    }
    log.debug("closing connection from {} in phase {}", remote, phase);
    closeQuietly(channel);
    return true;
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing a timed-out connection failed", e);
    }
  }
}
