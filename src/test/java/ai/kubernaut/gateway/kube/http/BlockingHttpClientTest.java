package ai.kubernaut.gateway.kube.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.testing.SelfSignedCertificate;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fabric8's HTTP client on Helidon's blocking client, against a real Helidon server on loopback and
 * raw sockets where a server has to misbehave.
 */
class BlockingHttpClientTest {

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
  }

  @Test
  void anAnswerIsReadOnTheCallingThreadAndTheFutureIsCompleteOnReturn() throws Exception {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    WebServer server =
        server(
            routing ->
                routing.get(
                    "/hello",
                    (req, res) -> {
                      clientPorts.add(req.remotePeer().port());
                      res.send("hello " + "x".repeat(40_000));
                    }));
    HttpClient client = client(plainConfig(server));
    Thread caller = Thread.currentThread();
    List<Thread> readers = new ArrayList<>();

    for (int i = 0; i < 3; i++) {
      StringBuilder body = new StringBuilder();
      CompletableFuture<HttpResponse<AsyncBody>> answer =
          client.consumeBytes(
              get(client, server, "/hello"),
              (buffers, asyncBody) -> {
                readers.add(Thread.currentThread());
                buffers.forEach(b -> body.append(StandardCharsets.UTF_8.decode(b)));
                asyncBody.consume();
              });
      assertThat(answer).isDone();
      answer.join().body().consume();
      assertThat(answer.join().body().done()).isDone();
      assertThat(body).hasSize("hello ".length() + 40_000);
    }
    assertThat(readers).hasSizeGreaterThan(3).allMatch(t -> t == caller);
    assertThat(clientPorts).as("one kept-alive connection for all three").hasSize(1);
  }

  @Test
  void aRequestBodyArrivesWhole() throws Exception {
    WebServer server =
        server(
            routing ->
                routing.patch(
                    "/echo",
                    (req, res) ->
                        res.send(
                            req.headers().contentType().orElseThrow().text()
                                + " "
                                + req.headers().contentLength().orElse(-1)
                                + " "
                                + req.content().as(String.class))));
    HttpClient client = client(plainConfig(server));
    String patch = "{\"status\":{\"deduplication\":{\"occurrenceCount\":7}}}";
    HttpRequest request =
        client
            .newHttpRequestBuilder()
            .uri(url(server, "/echo"))
            .method("PATCH", "application/merge-patch+json", patch)
            .build();

    HttpResponse<String> answer = client.sendAsync(request, String.class).get();

    assertThat(answer.code()).isEqualTo(200);
    assertThat(answer.body())
        .isEqualTo("application/merge-patch+json " + patch.length() + " " + patch);
  }

  @Test
  void interceptorsSeeEachRequestAndItsAnswerAndMaySendItAgainAfterAFailure() throws Exception {
    List<String> tokens = new CopyOnWriteArrayList<>();
    WebServer server =
        server(
            routing ->
                routing.get(
                    "/secret",
                    (req, res) -> {
                      String token =
                          req.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION).orElse("");
                      tokens.add(token);
                      if (token.equals("Bearer fresh")) {
                        res.send("secret");
                      } else {
                        res.status(401).send("expired");
                      }
                    }));
    List<Integer> seenCodes = new CopyOnWriteArrayList<>();
    AtomicReference<String> token = new AtomicReference<>("stale");
    Interceptor auth =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.setHeader("Authorization", "Bearer " + token.get());
          }

          @Override
          public void after(
              HttpRequest request,
              HttpResponse<?> response,
              AsyncBody.Consumer<List<java.nio.ByteBuffer>> consumer) {
            seenCodes.add(response.code());
          }

          @Override
          public CompletableFuture<Boolean> afterFailure(
              BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
            if (response.code() != 401 || token.get().equals("fresh")) {
              return CompletableFuture.completedFuture(false);
            }
            token.set("fresh");
            builder.setHeader("Authorization", "Bearer fresh");
            return CompletableFuture.completedFuture(true);
          }
        };
    HttpClient client =
        client(plainConfig(server)).newBuilder().addOrReplaceInterceptor("auth", auth).build();

    HttpResponse<String> answer =
        client.sendAsync(get(client, server, "/secret"), String.class).get();

    assertThat(answer.code()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("secret");
    assertThat(tokens).containsExactly("Bearer stale", "Bearer fresh");
    assertThat(seenCodes).containsExactly(401, 200);
  }

  @Test
  void whenFabric8sOwnRetriesAreOnAThrottledRequestIsRetriedByFabric8() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    WebServer server =
        server(
            routing ->
                routing.get(
                    "/busy",
                    (req, res) -> {
                      if (calls.incrementAndGet() == 1) {
                        res.status(429).send("slow down");
                      } else {
                        res.send("done");
                      }
                    }));
    HttpClient client =
        client(
            new ConfigBuilder(plainConfig(server))
                .withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(10)
                .build());

    HttpResponse<String> answer =
        client.sendAsync(get(client, server, "/busy"), String.class).get();

    assertThat(answer.body()).isEqualTo("done");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aStreamedBodyIsDeliveredChunkByChunkByAThreadOfItsOwnUntilCancelled() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    CompletableFuture<Throwable> serverWriteFailure = new CompletableFuture<>();
    WebServer server =
        server(
            routing ->
                routing.get(
                    "/watch",
                    (req, res) -> {
                      try (OutputStream out = res.outputStream()) {
                        out.write("{\"type\":\"ADDED\"}\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        firstSeen.await(10, TimeUnit.SECONDS);
                        while (true) {
                          out.write("{\"type\":\"MODIFIED\"}\n".getBytes(StandardCharsets.UTF_8));
                          out.flush();
                          Thread.sleep(20);
                        }
                      } catch (Exception | Error e) {
                        serverWriteFailure.complete(e);
                      }
                    }));
    HttpClient client = client(plainConfig(server));
    List<String> chunks = new CopyOnWriteArrayList<>();
    AtomicReference<Thread> reader = new AtomicReference<>();
    HttpRequest watch =
        client.newHttpRequestBuilder().uri(url(server, "/watch")).forStreaming().build();

    HttpResponse<AsyncBody> answer =
        client
            .consumeBytes(
                watch,
                (buffers, body) -> {
                  reader.set(Thread.currentThread());
                  buffers.forEach(b -> chunks.add(StandardCharsets.UTF_8.decode(b).toString()));
                  firstSeen.countDown();
                  body.consume();
                })
            .get();
    answer.body().consume();

    await().atMost(Duration.ofSeconds(10)).until(() -> chunks.size() >= 3);
    assertThat(chunks.getFirst()).isEqualTo("{\"type\":\"ADDED\"}\n");
    assertThat(reader.get()).isNotSameAs(Thread.currentThread());
    assertThat(reader.get().isVirtual()).isTrue();

    answer.body().cancel();

    await().atMost(Duration.ofSeconds(10)).until(serverWriteFailure::isDone);
    assertThat(answer.body().done()).isCancelled();
  }

  @Test
  void aRefusedConnectionFailsAsAConnectExceptionSoAWriteIsKnownNotSent() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    HttpClient client = client(config("http://127.0.0.1:" + closedPort, 5_000));
    HttpRequest request =
        client
            .newHttpRequestBuilder()
            .uri("http://127.0.0.1:" + closedPort + "/")
            .post("application/json", "{}")
            .build();

    assertThatThrownBy(() -> client.sendAsync(request, String.class).get())
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(ConnectException.class);
  }

  @Test
  void aConnectionClosedAfterTheRequestWasReadFailsAsAnIoFailureButNotAsRefused() throws Exception {
    ServerSocket listener = rawServer(socket -> readRequestHead(socket.getInputStream()));
    String url = "http://127.0.0.1:" + listener.getLocalPort();
    assertAPostFailsAsMaybeSent(url);
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheRequestTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    closing.add(release::countDown);
    ServerSocket listener =
        rawServer(
            socket -> {
              readRequestHead(socket.getInputStream());
              release.await();
            });
    String url = "http://127.0.0.1:" + listener.getLocalPort();
    HttpClient client = client(config(url, 300));
    HttpRequest request =
        client.newHttpRequestBuilder().uri(url + "/").timeout(300, TimeUnit.MILLISECONDS).build();

    long started = System.nanoTime();
    assertThatThrownBy(() -> client.sendAsync(request, String.class).get())
        .satisfies(e -> assertThat(causes(e)).anyMatch(SocketTimeoutException.class::isInstance));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  @Timeout(30)
  void aServerThatNeverAnswersTheTlsHandshakeFailsAtTheConnectTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    closing.add(release::countDown);
    ServerSocket listener = rawServer(socket -> release.await());
    String url = "https://127.0.0.1:" + listener.getLocalPort();
    HttpClient client =
        client(
            new ConfigBuilder(config(url, 60_000))
                .withConnectionTimeout(300)
                .withTrustCerts(true)
                .build());
    HttpRequest request = client.newHttpRequestBuilder().uri(url + "/").build();

    long started = System.nanoTime();
    assertThatThrownBy(() -> client.sendAsync(request, String.class).get())
        .satisfies(
            e -> {
              // the handshake's deadline closes the socket at 300 ms
              assertThat(causes(e)).anyMatch(IOException.class::isInstance);
              assertThat(causes(e)).noneMatch(ConnectException.class::isInstance);
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void theCertificateIsCheckedAgainstTheIpTheUrlNamesNotItsReverseLookup(@TempDir Path scratch)
      throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.issue(scratch, "api");
    WebServer server = tlsServer(certificate);
    String caData = caData(certificate);

    String byIp = "https://127.0.0.1:" + server.port();
    HttpClient trusting =
        client(new ConfigBuilder(config(byIp, 5_000)).withCaCertData(caData).build());
    assertThat(
            trusting
                .sendAsync(trusting.newHttpRequestBuilder().uri(byIp + "/").build(), String.class)
                .get()
                .body())
        .isEqualTo("ok");

    String byName = "https://localhost:" + server.port();
    HttpClient wrongName =
        client(new ConfigBuilder(config(byName, 5_000)).withCaCertData(caData).build());
    assertThatThrownBy(
            () ->
                wrongName
                    .sendAsync(
                        wrongName.newHttpRequestBuilder().uri(byName + "/").build(), String.class)
                    .get())
        .satisfies(e -> assertThat(causes(e)).anyMatch(SSLHandshakeException.class::isInstance));

    HttpClient serverNamed =
        client(
            new ConfigBuilder(config(byName, 5_000))
                .withCaCertData(caData)
                .withTlsServerName("127.0.0.1")
                .build());
    assertThat(
            serverNamed
                .sendAsync(
                    serverNamed.newHttpRequestBuilder().uri(byName + "/").build(), String.class)
                .get()
                .body())
        .isEqualTo("ok");
  }

  @Test
  void aGarbledAnswerHeadAfterTheRequestWasSentFailsAsAnIoFailureSoTheWriteIsReadBack()
      throws Exception {
    CountDownLatch requestRead = new CountDownLatch(1);
    ServerSocket listener =
        rawServer(
            socket -> {
              readRequestHead(socket.getInputStream());
              requestRead.countDown();
              OutputStream out = socket.getOutputStream();
              out.write(
                  "HTTP/1.1 201 Created\r\nthis line has no colon\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
              out.flush();
            });
    String url = "http://127.0.0.1:" + listener.getLocalPort();
    assertAPostFailsAsMaybeSent(url);
    assertThat(requestRead.getCount()).as("the server read the request").isZero();
  }

  @Test
  void aGarbledChunkedBodyFailsAsAnIoFailure() throws Exception {
    ServerSocket listener =
        rawServer(
            socket -> {
              readRequestHead(socket.getInputStream());
              OutputStream out = socket.getOutputStream();
              out.write(
                  ("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                          + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              out.flush();
            });
    String url = "http://127.0.0.1:" + listener.getLocalPort();
    HttpClient client = client(config(url, 5_000));
    HttpRequest request =
        client.newHttpRequestBuilder().uri(url + "/").post("application/json", "{}").build();

    assertThatThrownBy(() -> client.sendAsync(request, String.class).get())
        .isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(causes(e)).anyMatch(IOException.class::isInstance));
  }

  @Test
  void aTlsServerNameWithAnHttpProxyIsRefusedRatherThanTunnelledToThatName() throws Exception {
    CompletableFuture<String> connectLine = new CompletableFuture<>();
    ServerSocket proxy =
        rawServer(
            socket -> {
              InputStream in = socket.getInputStream();
              connectLine.complete(readRequestLine(in));
              readRequestHead(in);
              socket
                  .getOutputStream()
                  .write(
                      "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
                          .getBytes(StandardCharsets.US_ASCII));
            });
    String url = "https://127.0.0.1:6443";
    Config config =
        new ConfigBuilder(config(url, 5_000))
            .withTrustCerts(true)
            .withTlsServerName("kubernetes.default.svc")
            .withHttpsProxy("http://127.0.0.1:" + proxy.getLocalPort())
            .build();

    assertThatThrownBy(() -> client(config))
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .hasMessageContaining("tls-server-name");
    assertThat(connectLine).as("no tunnel was asked for").isNotDone();
  }

  @Test
  @Timeout(60)
  void aTlsHandshakeTheServerDribblesOutFailsAtTheConnectTimeoutAsAWhole(@TempDir Path scratch)
      throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.issue(scratch, "api");
    WebServer server = tlsServer(certificate);
    // Between client and server: the server's bytes are passed on a few at a time, each piece
    // well within the connect timeout of the one before, so no single read of the handshake
    // waits as long as the connect timeout while the handshake as a whole takes many times it.
    java.util.concurrent.atomic.AtomicInteger piecesPassed =
        new java.util.concurrent.atomic.AtomicInteger();
    ServerSocket relay =
        rawServer(
            client -> {
              try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                Thread.ofVirtual()
                    .start(
                        () -> {
                          try {
                            client.getInputStream().transferTo(upstream.getOutputStream());
                          } catch (IOException e) {
                            // either side went away: the other direction ends too
                          }
                        });
                InputStream fromServer = upstream.getInputStream();
                OutputStream toClient = client.getOutputStream();
                byte[] piece = new byte[64];
                for (int n = fromServer.read(piece); n >= 0; n = fromServer.read(piece)) {
                  piecesPassed.incrementAndGet();
                  Thread.sleep(300);
                  toClient.write(piece, 0, n);
                  toClient.flush();
                }
              }
            });
    String url = "https://127.0.0.1:" + relay.getLocalPort();
    HttpClient client =
        client(
            new ConfigBuilder(config(url, 1_000))
                .withConnectionTimeout(1_000)
                .withCaCertData(caData(certificate))
                .build());

    long started = System.nanoTime();
    Throwable failure = failureOfAGet(client, url);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(piecesPassed)
        .as("the server began its handshake (took %s, failed with %s)", took, failure)
        .hasValueGreaterThan(0);
    assertThat(failure).as("the handshake did not complete").isNotNull();
    assertThat(causes(failure)).anyMatch(IOException.class::isInstance);
    assertThat(took)
        .as("connect timeout (TCP connect and handshake) + request timeout, and a second to spare")
        .isLessThan(Duration.ofMillis(1_000 + 1_000 + 2_000));
  }

  @Test
  @Timeout(60)
  void aProxyThatNeverAnswersTheTunnelRequestFailsAtTheConnectTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    closing.add(release::countDown);
    CountDownLatch tunnelAsked = new CountDownLatch(1);
    ServerSocket proxy =
        rawServer(
            socket -> {
              readRequestHead(socket.getInputStream());
              tunnelAsked.countDown();
              release.await();
            });
    String url = "https://127.0.0.1:6443";
    HttpClient client =
        client(
            new ConfigBuilder(config(url, 300))
                .withConnectionTimeout(300)
                .withTrustCerts(true)
                .withHttpsProxy("http://127.0.0.1:" + proxy.getLocalPort())
                .build());

    long started = System.nanoTime();
    Throwable failure = failureOfAGet(client, url);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(tunnelAsked.getCount()).as("the proxy was asked for a tunnel").isZero();
    assertThat(failure).isNotNull();
    assertThat(causes(failure)).anyMatch(IOException.class::isInstance);
    assertThat(causes(failure)).noneMatch(ConnectException.class::isInstance);
    assertThat(took).isLessThan(Duration.ofMillis(300 + 300 + 1_000));
  }

  @Test
  @Timeout(30)
  void anInterruptWhileAwaitingTheAnswerFailsAsMaybeSentAndLeavesNoAnswerForTheNextRequest()
      throws Exception {
    CountDownLatch slowArrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    closing.add(release::countDown);
    WebServer server =
        server(
            routing ->
                routing
                    .post(
                        "/slow",
                        (req, res) -> {
                          slowArrived.countDown();
                          release.await();
                          res.send("slow");
                        })
                    .get("/fast", (req, res) -> res.send("fast")));
    HttpClient client = client(config("http://127.0.0.1:" + server.port(), 10_000));
    HttpRequest slow =
        client
            .newHttpRequestBuilder()
            .uri(url(server, "/slow"))
            .post("application/json", "{}")
            .build();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    client.sendAsync(slow, String.class).get();
                    failure.complete(null);
                  } catch (ExecutionException e) {
                    failure.complete(e);
                  } catch (Throwable e) {
                    failure.complete(e);
                  }
                });
    assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

    caller.interrupt();

    Throwable failed = failure.get(10, TimeUnit.SECONDS);
    assertThat(failed).isNotNull();
    assertThat(causes(failed)).anyMatch(IOException.class::isInstance);
    assertThat(causes(failed)).noneMatch(ConnectException.class::isInstance);
    release.countDown();
    for (int i = 0; i < 3; i++) {
      assertThat(client.sendAsync(get(client, server, "/fast"), String.class).get().body())
          .isEqualTo("fast");
    }
  }

  @Test
  @Timeout(30)
  void throughAnHttpProxyATlsRequestGoesThroughTheTunnelToTheUrlsHost(@TempDir Path scratch)
      throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.issue(scratch, "api");
    WebServer server = tlsServer(certificate);
    List<String> tunnels = new CopyOnWriteArrayList<>();
    ServerSocket proxy =
        rawServer(
            client -> {
              InputStream in = client.getInputStream();
              String line = readRequestLine(in);
              readRequestHead(in);
              tunnels.add(line);
              int port = Integer.parseInt(line.split(" ")[1].split(":")[1]);
              try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client
                    .getOutputStream()
                    .write(
                        "HTTP/1.1 200 Connection established\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                Thread.ofVirtual()
                    .start(
                        () -> {
                          try {
                            in.transferTo(upstream.getOutputStream());
                          } catch (IOException e) {
                            // either side went away: the other direction ends too
                          }
                        });
                upstream.getInputStream().transferTo(client.getOutputStream());
              }
            });
    String url = "https://127.0.0.1:" + server.port();
    HttpClient client =
        client(
            new ConfigBuilder(config(url, 5_000))
                .withCaCertData(caData(certificate))
                .withHttpsProxy("http://127.0.0.1:" + proxy.getLocalPort())
                .build());

    for (int i = 0; i < 2; i++) {
      assertThat(
              client
                  .sendAsync(client.newHttpRequestBuilder().uri(url + "/").build(), String.class)
                  .get()
                  .body())
          .isEqualTo("ok");
    }
    assertThat(tunnels)
        .as("one tunnel, kept alive for both requests")
        .containsExactly("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1");
  }

  private interface SocketHandler {
    void handle(Socket socket) throws Exception;
  }

  private ServerSocket rawServer(SocketHandler handler) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closing.add(listener);
    Thread.ofVirtual()
        .start(
            () -> {
              while (!listener.isClosed()) {
                try (Socket socket = listener.accept()) {
                  handler.handle(socket);
                } catch (Exception e) {
                  // the listener was closed, or the client went away: either ends this connection
                }
              }
            });
    return listener;
  }

  /** The request line, read up to its carriage return. */
  private static String readRequestLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString();
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private WebServer server(java.util.function.Consumer<HttpRouting.Builder> routes) {
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(routes)
            .build()
            .start();
    closing.add(server::stop);
    return server;
  }

  /** A POST to {@code url} fails as an I/O failure that is not a refused connection. */
  private void assertAPostFailsAsMaybeSent(String url) {
    HttpClient client = client(config(url, 5_000));
    HttpRequest request =
        client.newHttpRequestBuilder().uri(url + "/").post("application/json", "{}").build();

    assertThatThrownBy(() -> client.sendAsync(request, String.class).get())
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            e -> {
              assertThat(causes(e)).anyMatch(IOException.class::isInstance);
              assertThat(causes(e)).noneMatch(ConnectException.class::isInstance);
            });
  }

  /** How a GET of {@code url} failed, or null when it was answered; waits at most 50 s. */
  private static Throwable failureOfAGet(HttpClient client, String url) throws Exception {
    CompletableFuture<HttpResponse<String>> answer =
        CompletableFuture.supplyAsync(
            () ->
                client
                    .sendAsync(client.newHttpRequestBuilder().uri(url + "/").build(), String.class)
                    .join());
    return answer.handle((ok, e) -> e).get(50, TimeUnit.SECONDS);
  }

  /** The certificate as a kubeconfig's certificate-authority-data. */
  private static String caData(SelfSignedCertificate certificate) {
    return Base64.getEncoder()
        .encodeToString(certificate.certificatePem().getBytes(StandardCharsets.US_ASCII));
  }

  private WebServer tlsServer(SelfSignedCertificate certificate) throws Exception {
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .tls(Tls.builder().sslContext(certificate.serverContext()).build())
            .routing(routing -> routing.get("/", (req, res) -> res.send("ok")))
            .build()
            .start();
    closing.add(server::stop);
    return server;
  }

  private static Config plainConfig(WebServer server) {
    return config("http://127.0.0.1:" + server.port(), 5_000);
  }

  private static Config config(String url, int requestTimeoutMillis) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withRequestTimeout(requestTimeoutMillis)
        .withConnectionTimeout(2_000)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  private HttpClient client(Config config) {
    HttpClient client = new BlockingHttpClientFactory().newBuilder(config).build();
    closing.add(client::close);
    return client;
  }

  private static String url(WebServer server, String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private static HttpRequest get(HttpClient client, WebServer server, String path) {
    return client.newHttpRequestBuilder().uri(url(server, path)).build();
  }
}
