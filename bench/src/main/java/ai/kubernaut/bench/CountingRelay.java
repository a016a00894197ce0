package ai.kubernaut.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The real API server's counting front: plain HTTP/1.1 in, TLS to kube-apiserver out, one upstream
 * connection per client connection, requests relayed one at a time, answers streamed (watches),
 * WebSocket upgrades piped both ways. Counts every request ({@link ApiCounts}) and re-originates it
 * with a bearer token: the gateway identity's for the gateway (no {@code X-Bench-Origin}),
 * cluster-admin's for the bench's own clients.
 *
 * <p>The test suite's FaultProxy relays the same way but is not this: it terminates TLS with its
 * own certificate, passes the client's credentials through and records every request in memory,
 * which a benchmark of millions of requests cannot afford.
 */
final class CountingRelay {
  private final ServerSocket listener;
  private final URI upstream;
  private final SSLContext tls;
  private final String gatewayToken;
  private final String adminToken;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  CountingRelay(int port, URI upstream, SSLContext tls, String gatewayToken, String adminToken)
      throws IOException {
    this.listener = new ServerSocket(port, 512, InetAddress.getLoopbackAddress());
    this.upstream = upstream;
    this.tls = tls;
    this.gatewayToken = gatewayToken;
    this.adminToken = adminToken;
  }

  void start() {
    Thread.ofPlatform()
        .daemon()
        .name("relay-accept")
        .start(
            () -> {
              while (true) {
                try {
                  Socket client = listener.accept();
                  client.setTcpNoDelay(true);
                  threads.submit(() -> serve(client));
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  private void serve(Socket client) {
    Socket server = null;
    try (client) {
      InputStream fromClient = new BufferedInputStream(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      InputStream fromServer = null;
      while (true) {
        Head request = Head.read(fromClient);
        if (request == null) {
          return;
        }
        String[] start = request.startLine().split(" ", 3);
        String method = start[0];
        String target = start[1];
        String origin = request.header("x-bench-origin");
        ApiCounts.record(origin, method, target);
        if (server == null) {
          SSLSocket socket =
              (SSLSocket)
                  tls.getSocketFactory().createSocket(upstream.getHost(), upstream.getPort());
          socket.setTcpNoDelay(true);
          socket.startHandshake();
          server = socket;
          fromServer = new BufferedInputStream(server.getInputStream());
        }
        OutputStream toServer = server.getOutputStream();
        toServer.write(request.withBearer(origin == null ? gatewayToken : adminToken));
        relayRequestBody(request, fromClient, toServer);
        toServer.flush();
        Head response = Head.read(fromServer);
        if (response == null) {
          return;
        }
        toClient.write(response.bytes());
        toClient.flush();
        int status = Integer.parseInt(response.startLine().split(" ", 3)[1]);
        if (status == 101) {
          pipe(client, fromClient, server, fromServer);
          return;
        }
        if (!relayResponseBody(method, status, response, fromServer, toClient)) {
          return;
        }
      }
    } catch (IOException e) {
      // either side went away
    } finally {
      if (server != null) {
        try {
          server.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  private void pipe(Socket client, InputStream fromClient, Socket server, InputStream fromServer)
      throws IOException {
    Future<?> upward =
        threads.submit(
            () -> {
              try {
                fromClient.transferTo(server.getOutputStream());
              } catch (IOException e) {
                // ends with either side
              }
              try {
                server.close();
              } catch (IOException e) {
                // closing anyway
              }
            });
    try {
      OutputStream out = client.getOutputStream();
      byte[] buffer = new byte[16384];
      int n;
      while ((n = fromServer.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } finally {
      client.close();
      upward.cancel(true);
    }
  }

  private static void relayRequestBody(Head request, InputStream in, OutputStream out)
      throws IOException {
    if ("chunked".equalsIgnoreCase(request.header("transfer-encoding"))) {
      relayChunks(in, out);
    } else if (request.header("content-length") != null) {
      copy(in, out, Long.parseLong(request.header("content-length").trim()));
    }
  }

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
    in.transferTo(out);
    return false;
  }

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
      out.write((line(in) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[16384];
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

  /** A request or response head: the start line and the header lines, as received. */
  record Head(String startLine, List<String> lines, byte[] bytes) {

    static Head read(InputStream in) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
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
      String[] all = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
      List<String> lines = new ArrayList<>(List.of(all).subList(1, all.length));
      return new Head(all[0], lines, bytes);
    }

    String header(String name) {
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    /** This head with its Authorization replaced by {@code token}. */
    byte[] withBearer(String token) {
      StringBuilder out = new StringBuilder(startLine).append("\r\n");
      for (String line : lines) {
        if (!line.toLowerCase(Locale.ROOT).startsWith("authorization:")) {
          out.append(line).append("\r\n");
        }
      }
      out.append("Authorization: Bearer ").append(token).append("\r\n\r\n");
      return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
