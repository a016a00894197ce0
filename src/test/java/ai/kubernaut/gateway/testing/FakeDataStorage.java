package ai.kubernaut.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * DataStorage's audit batch endpoint over real HTTP on a loopback port, scriptable per request: it
 * answers 201 by default, or any status for chosen batches, requires a token, is slow, holds
 * requests, sends an answer's headers but never its body, or is down (its port closed). It records
 * every request it answered and checks every event it receives against the audit JSON Schema.
 */
public final class FakeDataStorage implements AutoCloseable {

  public static final String BATCH_PATH = "/api/v1/audit/events/batch";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request: the events it carried, its {@code Authorization} header, and the answer. */
  public record Request(List<JsonNode> events, String authorization, int status) {
    public boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  private volatile int port;
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
  private final Queue<String> schemaProblems = new ConcurrentLinkedQueue<>();
  private volatile Function<List<JsonNode>, Integer> answer = events -> 201;
  private volatile String requiredToken;
  private volatile Duration delay = Duration.ZERO;
  private volatile CountDownLatch hold;
  private volatile CountDownLatch held = new CountDownLatch(1);
  private final AtomicInteger bodiesToStall = new AtomicInteger();
  private final AtomicInteger stalledBodies = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile String location = "";
  private volatile String refusalDetail = "";
  private HttpServer server;

  private FakeDataStorage(int port) {
    this.port = port;
  }

  /** Starts listening on a free loopback port. */
  public static FakeDataStorage start() {
    FakeDataStorage fake = new FakeDataStorage(0);
    fake.up();
    return fake;
  }

  /** A fake on {@code port} that is down until {@link #up()}. */
  public static FakeDataStorage downOn(int port) {
    return new FakeDataStorage(port);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Opens the port (again) and answers requests. */
  public synchronized void up() {
    if (server != null) {
      return;
    }
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      register(s);
      s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      s.start();
      server = s;
      port = s.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes the port: connections are refused until {@link #up()}. */
  public synchronized void down() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Answers every batch with {@code status}. */
  public FakeDataStorage answer(int status) {
    return answer(events -> status);
  }

  /** Answers each batch with the status {@code decide} returns for its events. */
  public FakeDataStorage answer(Function<List<JsonNode>, Integer> decide) {
    this.answer = decide;
    return this;
  }

  /** Answers {@code status} to any batch holding an event that matches, 201 to the others. */
  public FakeDataStorage refuse(Predicate<JsonNode> event, int status) {
    return answer(events -> events.stream().anyMatch(event) ? status : 201);
  }

  /** Answers 401 unless the request carries {@code Bearer token}. */
  public FakeDataStorage requireToken(String token) {
    this.requiredToken = token;
    return this;
  }

  /** Waits {@code delay} before answering each request. */
  public FakeDataStorage slow(Duration delay) {
    this.delay = delay;
    return this;
  }

  /**
   * Holds the next batches until {@link #release()}: each is recorded as received (and counted as
   * accepted) but the sender gets no answer meanwhile.
   */
  public FakeDataStorage hold() {
    this.held = new CountDownLatch(1);
    this.hold = new CountDownLatch(1);
    return this;
  }

  /**
   * Answers the next {@code count} batches with their status line and headers (a 201 with a body
   * length) and then never sends the body, until closed.
   */
  public FakeDataStorage stallBodies(int count) {
    bodiesToStall.set(count);
    return this;
  }

  /** How many answers stopped after their headers so far. */
  public int stalledBodies() {
    return stalledBodies.get();
  }

  /** The {@code Location} header of 3xx answers. */
  public FakeDataStorage location(String location) {
    this.location = location;
    return this;
  }

  /** Added to the {@code detail} of every refusal. */
  public FakeDataStorage refusalDetail(String detail) {
    this.refusalDetail = detail;
    return this;
  }

  /** Waits until a held batch has arrived. */
  public boolean awaitHeld(Duration timeout) throws InterruptedException {
    return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Every event of every batch answered 2xx, in the order they arrived. */
  public List<JsonNode> accepted() {
    List<JsonNode> events = new ArrayList<>();
    for (Request r : requests) {
      if (r.accepted()) {
        events.addAll(r.events());
      }
    }
    return events;
  }

  /** Requests answered with {@code status}. */
  public long answered(int status) {
    return requests.stream().filter(r -> r.status() == status).count();
  }

  /** Schema violations of every event received so far; empty when all were valid. */
  public List<String> schemaProblems() {
    return List.copyOf(schemaProblems);
  }

  private void register(HttpServer s) {
    s.createContext(BATCH_PATH, this::batch);
    s.createContext(
        "/readyz",
        exchange -> {
          try (exchange) {
            reply(exchange, 200, "{\"status\":\"ready\"}");
          }
        });
  }

  private void batch(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      List<JsonNode> events = new ArrayList<>();
      body.forEach(events::add);
      for (JsonNode event : events) {
        AuditSchema.problems(event).forEach(p -> schemaProblems.add(p + " in " + event));
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      int status =
          requiredToken != null && !("Bearer " + requiredToken).equals(authorization)
              ? 401
              : answer.apply(events);
      requests.add(new Request(List.copyOf(events), authorization, status));
      pause();
      if (bodiesToStall.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        stallAfterHeaders(exchange, status);
        return;
      }
      if (status >= 300 && status < 400) {
        exchange.getResponseHeaders().add("Location", location);
      }
      if (status >= 200 && status < 300) {
        reply(exchange, status, "{\"event_ids\":[],\"message\":\"accepted\"}");
      } else {
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        reply(
            exchange,
            status,
            "{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":"
                + status
                + ",\"detail\":\"fake DataStorage answered "
                + status
                + refusalDetail
                + "\"}");
      }
    }
  }

  private void stallAfterHeaders(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, 1024);
    exchange.getResponseBody().write('[');
    exchange.getResponseBody().flush();
    stalledBodies.incrementAndGet();
    try {
      closing.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pause() {
    try {
      CountDownLatch h = hold;
      if (h != null) {
        held.countDown();
        h.await(30, TimeUnit.SECONDS);
      }
      if (!delay.isZero()) {
        Thread.sleep(delay);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    closing.countDown();
    release();
    down();
  }
}
