package ai.kubernaut.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A loopback HTTPS proxy in front of the real API server: it terminates TLS with a certificate it
 * issues itself, reads each HTTP/1.1 request, and either forwards it over its own TLS connection to
 * the server or injects a fault: an error status without forwarding (429 with Retry-After, 5xx, a
 * 409), latency before forwarding, a connection reset instead of forwarding, or a reset after the
 * server answered (the server applied the request; the client never hears it). WebSocket upgrades
 * and streamed watch answers are relayed as they come and can be cut ({@link #resetWatches}). Every
 * request is recorded with what was done to it, so a test proves its fault happened.
 */
public final class FaultProxy implements AutoCloseable {

  /** What the proxy did to a request. */
  public enum Fault {
    NONE,
    STATUS,
    DELAY,
    RESET,
    RESET_AFTER_FORWARDING,
    STATUS_AFTER_FORWARDING,
    HOLD_ANSWER
  }

  /**
   * One request as the proxy saw it: its fault, and the status the client received (0 when it
   * received none).
   */
  public record Seen(String method, String path, String query, Fault fault, int status) {
    public boolean faulted() {
      return fault != Fault.NONE;
    }
  }

  private record Rule(
      String method,
      String pathPrefix,
      String queryPart,
      Fault fault,
      int status,
      Duration delay,
      AtomicInteger remaining,
      double probability,
      Random random,
      String message) {

    boolean matches(String m, String path, String query) {
      return method.equals(m)
          && path.startsWith(pathPrefix)
          && (queryPart == null || query.contains(queryPart));
    }

    /** Whether this rule fires for the request; consumes one of its remaining uses if so. */
    boolean fires() {
      if (random != null) {
        synchronized (random) {
          return random.nextDouble() < probability;
        }
      }
      return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
  }

  private final ServerSocket listener;
  private final SSLContext upstreamTls;
  private final InetSocketAddress upstream;
  private final SelfSignedCertificate certificate;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final Queue<Seen> arrived = new ConcurrentLinkedQueue<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Socket> streaming = ConcurrentHashMap.newKeySet();
  private final Map<Socket, String> streamingPaths = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private FaultProxy(
      ServerSocket listener,
      SSLContext upstreamTls,
      InetSocketAddress upstream,
      SelfSignedCertificate certificate) {
    this.listener = listener;
    this.upstreamTls = upstreamTls;
    this.upstream = upstream;
    this.certificate = certificate;
  }

  /**
   * Starts a proxy for {@code server} on a free 127.0.0.1 port, with a certificate issued in {@code
   * scratch}.
   */
  public static FaultProxy start(RealApiServer server, Path scratch) {
    try {
      SelfSignedCertificate certificate = SelfSignedCertificate.issue(scratch, "fault-proxy");
      ServerSocket listener =
          certificate
              .serverContext()
              .getServerSocketFactory()
              .createServerSocket(0, 256, InetAddress.getLoopbackAddress());
      URI target = URI.create(server.url());
      FaultProxy proxy =
          new FaultProxy(
              listener,
              trusting(server.caCertificate()),
              new InetSocketAddress(target.getHost(), target.getPort()),
              certificate);
      proxy.threads.submit(proxy::accept);
      return proxy;
    } catch (Exception e) {
      throw new IllegalStateException("could not start the fault proxy", e);
    }
  }

  private static SSLContext trusting(Path caCertificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caCertificate)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  public String url() {
    return "https://127.0.0.1:" + listener.getLocalPort();
  }

  /** The proxy's serving certificate, PEM, for a client's certificate authority. */
  public String certificatePem() {
    return certificate.certificatePem();
  }

  /**
   * Answers the next {@code times} matching requests with {@code status} without forwarding them
   * (429 carries {@code Retry-After: 1}, as the server's priority and fairness does).
   */
  public void fail(String method, String pathPrefix, int status, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            null,
            Fault.STATUS,
            status,
            Duration.ZERO,
            new AtomicInteger(times),
            0,
            null,
            null));
  }

  /**
   * As {@link #fail}, only for requests whose query contains {@code queryPart} (for example a
   * selector).
   */
  public void failWhere(String method, String pathPrefix, String queryPart, int status, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            queryPart,
            Fault.STATUS,
            status,
            Duration.ZERO,
            new AtomicInteger(times),
            0,
            null,
            null));
  }

  /**
   * As {@link #failWhere}, with the server's own {@code message} in the answer's Status, for
   * clients that tell refusals apart by what the server says.
   */
  public void failWhere(
      String method, String pathPrefix, String queryPart, int status, String message, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            queryPart,
            Fault.STATUS,
            status,
            Duration.ZERO,
            new AtomicInteger(times),
            0,
            null,
            message));
  }

  /** Holds the next {@code times} matching requests for {@code delay}, then forwards them. */
  public void delay(String method, String pathPrefix, Duration delay, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            null,
            Fault.DELAY,
            0,
            delay,
            new AtomicInteger(times),
            0,
            null,
            null));
  }

  /** Resets the client's connection instead of forwarding the next {@code times} matches. */
  public void reset(String method, String pathPrefix, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            null,
            Fault.RESET,
            0,
            Duration.ZERO,
            new AtomicInteger(times),
            0,
            null,
            null));
  }

  /**
   * Forwards the next {@code times} matching requests and, once the server has answered (a write is
   * then applied), resets the client's connection instead of relaying the answer.
   */
  public void resetAfterForwarding(String method, String pathPrefix, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            null,
            Fault.RESET_AFTER_FORWARDING,
            0,
            Duration.ZERO,
            new AtomicInteger(times),
            0,
            null,
            null));
  }

  /**
   * Forwards the next {@code times} matching requests and, once the server has answered (a write is
   * then applied), answers {@code status} instead of the server's answer.
   */
  public void failAfterForwarding(String method, String pathPrefix, int status, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            null,
            Fault.STATUS_AFTER_FORWARDING,
            status,
            Duration.ZERO,
            new AtomicInteger(times),
            0,
            null,
            null));
  }

  /**
   * Forwards the next {@code times} matching requests and holds the server's answer back for {@code
   * hold} before relaying it, as a server that applied a write and then answered slowly.
   */
  public void holdAnswer(String method, String pathPrefix, Duration hold, int times) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            null,
            Fault.HOLD_ANSWER,
            0,
            hold,
            new AtomicInteger(times),
            0,
            null,
            null));
  }

  /**
   * Injects {@code fault} (with {@code status} or {@code delay}) into each matching request with
   * {@code probability}, reproducibly from {@code random}'s seed.
   */
  public void chaos(
      String method,
      String pathPrefix,
      double probability,
      Fault fault,
      int status,
      Duration delay,
      Random random) {
    rules.add(
        new Rule(
            method,
            pathPrefix,
            null,
            fault,
            status,
            delay,
            new AtomicInteger(),
            probability,
            random,
            null));
  }

  public void clearFaults() {
    rules.clear();
  }

  public void forgetSeen() {
    seen.clear();
    arrived.clear();
  }

  /**
   * The requests with {@code method} under {@code pathPrefix} that have arrived, answered or not
   * (their fault and status are not known yet: NONE and 0).
   */
  public List<Seen> arrived(String method, String pathPrefix) {
    return arrived.stream()
        .filter(s -> s.method().equals(method) && s.path().startsWith(pathPrefix))
        .toList();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** The requests with {@code method} whose path starts with {@code pathPrefix}. */
  public List<Seen> seen(String method, String pathPrefix) {
    return seen.stream()
        .filter(s -> s.method().equals(method) && s.path().startsWith(pathPrefix))
        .toList();
  }

  /**
   * Cuts the watches under {@code pathPrefix} being relayed now and resets every attempt to watch
   * there again, until {@link #clearFaults}: the client's cache of those objects stops changing.
   */
  public void blockWatches(String pathPrefix) {
    rules.add(
        new Rule(
            "GET",
            pathPrefix,
            "watch=true",
            Fault.RESET,
            0,
            Duration.ZERO,
            new AtomicInteger(Integer.MAX_VALUE),
            0,
            null,
            null));
    for (var entry : List.copyOf(streamingPaths.entrySet())) {
      if (entry.getValue().startsWith(pathPrefix)) {
        reset(entry.getKey());
      }
    }
  }

  /** Resets every watch (WebSocket or streamed) being relayed now; returns how many. */
  public int resetWatches() {
    int cut = 0;
    for (Socket socket : List.copyOf(streaming)) {
      reset(socket);
      cut++;
    }
    return cut;
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    List.copyOf(open).forEach(FaultProxy::reset);
    threads.shutdownNow();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        open.add(client);
        threads.submit(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("fault proxy: accept failed: " + e);
        }
      }
    }
  }

  /** Relays the requests of one client connection over one upstream connection. */
  private void serve(Socket client) {
    Socket server = null;
    try {
      InputStream fromClient = client.getInputStream();
      OutputStream toClient = client.getOutputStream();
      while (true) {
        Head request = Head.read(fromClient);
        if (request == null) {
          return;
        }
        byte[] body = readBody(request, fromClient);
        String target = request.startLine().split(" ", 3)[1];
        String method = request.startLine().split(" ", 2)[0];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        arrived.add(new Seen(method, path, query, Fault.NONE, 0));
        Rule rule = firing(method, path, query);
        Fault fault = rule == null ? Fault.NONE : rule.fault();
        if (fault == Fault.STATUS) {
          toClient.write(statusAnswer(rule.status(), rule.message()));
          toClient.flush();
          seen.add(new Seen(method, path, query, fault, rule.status()));
          continue;
        }
        if (fault == Fault.RESET) {
          seen.add(new Seen(method, path, query, fault, 0));
          reset(client);
          return;
        }
        if (fault == Fault.DELAY) {
          Thread.sleep(rule.delay().toMillis());
        }
        if (server == null) {
          server = connectUpstream();
        }
        OutputStream toServer = server.getOutputStream();
        toServer.write(request.bytes());
        toServer.write(body);
        toServer.flush();
        InputStream fromServer = server.getInputStream();
        Head response = Head.read(fromServer);
        if (response == null) {
          throw new EOFException("the API server closed the connection");
        }
        int status = Integer.parseInt(response.startLine().split(" ", 3)[1]);
        if (fault == Fault.RESET_AFTER_FORWARDING) {
          seen.add(new Seen(method, path, query, fault, 0));
          reset(client);
          return;
        }
        if (fault == Fault.STATUS_AFTER_FORWARDING) {
          relayResponseBody(method, status, response, fromServer, OutputStream.nullOutputStream());
          toClient.write(statusAnswer(rule.status(), rule.message()));
          toClient.flush();
          seen.add(new Seen(method, path, query, fault, rule.status()));
          continue;
        }
        if (fault == Fault.HOLD_ANSWER) {
          Thread.sleep(rule.delay().toMillis());
        }
        seen.add(new Seen(method, path, query, fault, status));
        toClient.write(response.bytes());
        toClient.flush();
        if (status == 101) {
          streamingPaths.put(client, path);
          relayBothWays(client, server);
          return;
        }
        boolean watch = query.contains("watch=true") || query.contains("watch=1");
        if (watch) {
          streaming.add(client);
          streamingPaths.put(client, path);
        }
        boolean keepOpen = relayResponseBody(method, status, response, fromServer, toClient);
        streaming.remove(client);
        if (!keepOpen || "close".equalsIgnoreCase(request.header("connection"))) {
          return;
        }
      }
    } catch (IOException e) {
      // the client or the server went away; both connections end
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streaming.remove(client);
      streamingPaths.remove(client);
      open.remove(client);
      closeQuietly(client);
      if (server != null) {
        closeQuietly(server);
      }
    }
  }

  private Rule firing(String method, String path, String query) {
    for (Rule rule : rules) {
      if (rule.matches(method, path, query) && rule.fires()) {
        return rule;
      }
    }
    return null;
  }

  private Socket connectUpstream() throws IOException {
    SSLSocket socket =
        (SSLSocket)
            upstreamTls
                .getSocketFactory()
                .createSocket(upstream.getHostString(), upstream.getPort());
    socket.startHandshake();
    return socket;
  }

  /** WebSocket: bytes both ways until either side ends; the upgraded client can be cut. */
  private void relayBothWays(Socket client, Socket server) throws IOException {
    streaming.add(client);
    var upward =
        threads.submit(
            () -> {
              try {
                client.getInputStream().transferTo(server.getOutputStream());
              } catch (IOException e) {
                // ends with either side
              }
              closeQuietly(server);
              return null;
            });
    try {
      InputStream in = server.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } finally {
      streaming.remove(client);
      closeQuietly(client);
      upward.cancel(true);
    }
  }

  /**
   * Relays an answer's body as it arrives (a watch streams for minutes); false when the connection
   * cannot carry another request afterwards.
   */
  private static boolean relayResponseBody(
      String method, int status, Head response, InputStream in, OutputStream out)
      throws IOException {
    if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
      return true;
    }
    if ("chunked".equalsIgnoreCase(response.header("transfer-encoding"))) {
      relayChunks(in, out);
      return true;
    }
    String length = response.header("content-length");
    if (length != null) {
      copy(in, out, Long.parseLong(length.trim()));
      out.flush();
      return true;
    }
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      out.flush();
    }
    return false;
  }

  private static byte[] readBody(Head request, InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(request.header("transfer-encoding"))) {
      relayChunks(in, body);
    } else if (request.header("content-length") != null) {
      copy(in, body, Long.parseLong(request.header("content-length").trim()));
    }
    return body.toByteArray();
  }

  /** Copies a chunked body, chunk by chunk with its framing, up to and including the trailers. */
  private static void relayChunks(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = line(in);
      out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
      int semicolon = sizeLine.indexOf(';');
      long size =
          Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        String trailer;
        do {
          trailer = line(in);
          out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } while (!trailer.isEmpty());
        out.flush();
        return;
      }
      copy(in, out, size);
      String end = line(in);
      out.write((end + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[8192];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("body ended early");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
      }
      line.write(b);
    }
    throw new EOFException("connection ended within a line");
  }

  private static byte[] statusAnswer(int status, String message) {
    String reason =
        switch (status) {
          case 400 -> "BadRequest";
          case 404 -> "NotFound";
          case 409 -> "Conflict";
          case 422 -> "Invalid";
          case 429 -> "TooManyRequests";
          case 500 -> "InternalError";
          case 503 -> "ServiceUnavailable";
          case 504 -> "Timeout";
          default -> "";
        };
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\""
            + (message == null ? "injected by the fault proxy" : message)
            + "\",\"reason\":\""
            + reason
            + "\",\"code\":"
            + status
            // a 422 names a spec field, as the server's schema check does
            + (status == 422
                ? ",\"details\":{\"causes\":[{\"reason\":\"FieldValueInvalid\","
                    + "\"field\":\"spec.severity\"}]}"
                : "")
            + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + (reason.isEmpty() ? "Injected" : reason)
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\n"
            + (status == 429 ? "Retry-After: 1\r\n" : "")
            + "\r\n";
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    answer.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    answer.writeBytes(bytes);
    return answer.toByteArray();
  }

  /** Ends a connection with a TCP reset rather than an orderly close. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /** A request or response head: the start line, the headers, and its bytes as received. */
  private record Head(String startLine, List<String[]> headers, byte[] bytes) {

    /** The next head on the stream, or null if the stream ended before one began. */
    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int matched = 0;
      int b;
      while (matched < 4) {
        b = in.read();
        if (b < 0) {
          if (raw.size() == 0) {
            return null;
          }
          throw new EOFException("connection ended within a head");
        }
        raw.write(b);
        matched =
            switch (matched) {
              case 0, 2 -> b == '\r' ? matched + 1 : 0;
              case 1, 3 -> b == '\n' ? matched + 1 : (b == '\r' ? 1 : 0);
              default -> 0;
            };
      }
      byte[] bytes = raw.toByteArray();
      String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(
              new String[] {
                lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                lines[i].substring(colon + 1).trim()
              });
        }
      }
      return new Head(lines[0], headers, bytes);
    }

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equals(name)) {
          return h[1];
        }
      }
      return null;
    }
  }
}
