package ai.kubernaut.gateway.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections of clients that are too slow: request headers (and, on a new connection, the
 * TLS handshake) must arrive within the header timeout, a body within the read timeout of the
 * request's start, the response must be out within the write timeout of the request having been
 * read, and a kept-alive connection must send its next request within the idle timeout. Helidon 4.5
 * does not apply its read timeout to the NIO channels it reads from, and it only times out
 * connections waiting for a request line, so a client stalling in the headers or the body would
 * otherwise hold its connection, and a slot of the connection limit, for ever.
 *
 * <p>A connection is known by its remote address from accept until it closes. The timeouts are
 * enforced by closing the channel, which fails the read or write the connection's thread is blocked
 * in. The write deadline covers processing and writing the answer: a client that pipelines requests
 * and never reads the answers blocks the write once the socket buffers are full, and without it
 * would hold the connection and the request's in-flight permit for ever.
 */
public final class ConnectionDeadlines implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);

  /** How long a refused client has to read its response before the connection is closed. */
  private static final long CLOSE_GRACE = Duration.ofSeconds(1).toNanos();

  /**
   * When slots run short and what gives way then: from {@code pressure} connections on, a client
   * holding {@code perClient} connections gets no more, and a kept-alive connection idle for {@code
   * pressuredIdle} is closed so its slot serves a waiting client. Below it a client may burst.
   *
   * @param perClient 0 for no per-client limit
   * @param pressure 0 for never
   */
  public record Slots(int perClient, int pressure, Duration pressuredIdle) {

    /** No per-client limit, idle connections kept for the whole idle timeout. */
    public static Slots unlimited() {
      return new Slots(0, 0, Duration.ZERO);
    }

    /**
     * Slots for a listener holding at most {@code maxConnections} ({@code 0}: no limit): idle
     * connections give way once three quarters are taken.
     */
    public static Slots of(int maxConnections, int perClient) {
      return new Slots(perClient, maxConnections * 3 / 4, Duration.ofSeconds(2));
    }
  }

  private final Map<SocketAddress, WatchedConnection> connections = new ConcurrentHashMap<>();
  private final WatchedConnection.Timeouts timeouts;
  private final Slots slots;
  private final ConnectionMetrics metrics;
  private final ScheduledExecutorService sweeper;

  /**
   * Starts watching, also limiting each client's connections and closing idle connections when
   * slots run short.
   *
   * @param readTimeout zero for no body deadline
   * @param writeTimeout zero for no deadline on processing and writing the answer
   * @param idleTimeout zero for no idle deadline
   */
  public ConnectionDeadlines(
      Duration headerTimeout,
      Duration readTimeout,
      Duration writeTimeout,
      Duration idleTimeout,
      Slots slots,
      ConnectionMetrics metrics) {
    this.slots = slots;
    this.metrics = metrics;
    this.timeouts =
        new WatchedConnection.Timeouts(
            headerTimeout.toNanos(),
            readTimeout.toNanos(),
            writeTimeout.toNanos(),
            idleTimeout.toNanos());
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("connection-deadlines").factory());
    long tick = Math.clamp(headerTimeout.toMillis() / 10, 10, 500);
    sweeper.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Watches the connections {@code listener} accepts and the HTTP/1 requests they carry. */
  public void applyTo(WebServerConfig.Builder listener) {
    listener.connectionOptions(new WatchedSocketOptions(SocketOptions.create(), this::accepted));
    listener.addProtocol(Http1Config.builder().addReceiveListener(parsing()).build());
  }

  /**
   * Called on accept: the first request's headers are due within the header timeout. When slots run
   * short, a client already holding its share of connections is cut off at once.
   */
  void accepted(SocketChannel channel) {
    try {
      long now = System.nanoTime();
      SocketAddress remote = channel.getRemoteAddress();
      Object client =
          remote instanceof InetSocketAddress inet ? ClientGroups.of(inet.getAddress()) : null;
      if (slots.perClient() > 0
          && client != null
          && pressed()
          && connectionsOf(client) >= slots.perClient()) {
        metrics.overPerClientLimit();
        log.debug("closing a connection from {}: it holds its share of connections", client);
        WatchedConnection.closeQuietly(channel);
        return;
      }
      connections.put(
          remote, new WatchedConnection(channel, remote, client, now, now + timeouts.header()));
    } catch (IOException e) {
      log.debug("accepted connection closed before it was watched", e);
    }
  }

  /** Whether slots run short; without a global limit, always. */
  private boolean pressed() {
    if (slots.pressure() == 0) {
      return true;
    }
    int open = 0;
    for (WatchedConnection c : connections.values()) {
      if (c.channel.isOpen() && ++open >= slots.pressure()) {
        return true;
      }
    }
    return false;
  }

  private int connectionsOf(Object client) {
    int n = 0;
    for (WatchedConnection c : connections.values()) {
      if (client.equals(c.client) && c.channel.isOpen()) {
        n++;
      }
    }
    return n;
  }

  /** Hooks into HTTP/1 parsing: a request line starts the header deadline, headers end it. */
  Http1ConnectionListener parsing() {
    return new Http1ConnectionListener() {
      @Override
      public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        update(ctx.remotePeer().address(), WatchedConnection.Phase.HEADERS);
      }

      @Override
      public void headers(ConnectionContext ctx, Headers headers) {
        update(ctx.remotePeer().address(), WatchedConnection.Phase.PROCESSING);
      }
    };
  }

  /**
   * The handler starts reading the request body; the read deadline applies until {@link #bodyRead}.
   */
  void readingBody(SocketAddress peer) {
    update(peer, WatchedConnection.Phase.BODY);
  }

  void bodyRead(SocketAddress peer) {
    update(peer, WatchedConnection.Phase.PROCESSING);
  }

  /** The response is out; the connection waits for its next request. */
  void responded(SocketAddress peer) {
    update(peer, WatchedConnection.Phase.IDLE);
  }

  /**
   * The response refused a request whose body was not read: the connection ends without reading the
   * body. Our side is shut down at once (the client reads the response, then end of stream); the
   * socket is closed after a short grace, so unread bytes do not reset the response away.
   */
  void refusedWithBodyUnread(SocketAddress peer) {
    WatchedConnection connection = connections.get(peer);
    if (connection != null) {
      connection.closing(System.nanoTime() + CLOSE_GRACE);
    }
  }

  int watched() {
    return connections.size();
  }

  private void update(SocketAddress peer, WatchedConnection.Phase phase) {
    WatchedConnection connection = connections.get(peer);
    if (connection != null) {
      connection.enter(phase, System.nanoTime(), timeouts);
    }
  }

  private void sweep() {
    try {
      closeOverdue(System.nanoTime());
    } catch (RuntimeException e) {
      log.warn("checking connection deadlines failed", e);
    }
  }

  private void closeOverdue(long now) {
    boolean pressed = slots.pressure() > 0 && pressed();
    long pressuredIdle = slots.pressuredIdle().toNanos();
    connections
        .values()
        .removeIf(
            connection ->
                !connection.channel.isOpen()
                    || connection.closeIfOverdue(now, pressed, pressuredIdle, metrics));
  }

  /** Stops watching; connections are left to the listener's shutdown. */
  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
