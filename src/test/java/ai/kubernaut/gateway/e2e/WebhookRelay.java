package ai.kubernaut.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes Alertmanager's webhook requests through to the gateway unchanged (body, content type,
 * authorization) and returns the gateway's answer unchanged, recording both: what Alertmanager
 * sent, and which status it got back. In front of several replicas it balances round robin, per
 * connection or per request.
 */
final class WebhookRelay implements AutoCloseable {

  /** How requests are spread over the replicas. */
  enum Balancing {
    /** Each new connection goes to the next replica, as a Kubernetes Service (kube-proxy) does. */
    PER_CONNECTION,
    /** Each request goes to the next replica, as an HTTP-aware ingress or service mesh does. */
    PER_REQUEST
  }

  /**
   * One webhook request and the gateway's answer to it.
   *
   * @param replica the index of the replica it was passed to
   */
  record Delivery(
      String authorization, JsonNode webhook, int status, String response, int replica) {

    /** The {@code alertname} of each alert in the webhook. */
    List<String> alertNames() {
      return webhook
          .path("alerts")
          .valueStream()
          .map(a -> a.path("labels").path("alertname").asText())
          .toList();
    }

    List<String> alertStatuses() {
      return webhook.path("alerts").valueStream().map(a -> a.path("status").asText()).toList();
    }

    boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<URI> targets;
  private final Balancing balancing;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<InetSocketAddress, Integer> connections = new ConcurrentHashMap<>();
  private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
  private final Map<String, Duration> holdOnce = new ConcurrentHashMap<>();

  private WebhookRelay(List<URI> targets, Balancing balancing) throws IOException {
    this.targets = List.copyOf(targets);
    this.balancing = balancing;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::relay);
    server.setExecutor(executor);
    server.start();
  }

  /** A relay forwarding every request it receives, whatever its path, to {@code target}. */
  static WebhookRelay to(URI target) throws IOException {
    return new WebhookRelay(List.of(target), Balancing.PER_REQUEST);
  }

  /** A relay spreading requests over {@code replicas} (same path on each) round robin. */
  static WebhookRelay roundRobin(List<URI> replicas, Balancing balancing) throws IOException {
    return new WebhookRelay(replicas, balancing);
  }

  URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + targets.getFirst().getPath());
  }

  /**
   * Holds back, for {@code hold}, the gateway's answer to the next delivery carrying an alert named
   * {@code alertName}: the gateway has recorded it, the sender learns so late (or never, if it
   * gives up first).
   */
  void holdNextAnswer(String alertName, Duration hold) {
    holdOnce.put(alertName, hold);
  }

  private void holdIfAsked(Delivery delivery) {
    for (String name : delivery.alertNames()) {
      Duration hold = holdOnce.remove(name);
      if (hold != null) {
        try {
          Thread.sleep(hold);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
    }
  }

  private int replicaFor(HttpExchange exchange) {
    return switch (balancing) {
      case PER_REQUEST -> Math.floorMod(next.getAndIncrement(), targets.size());
      case PER_CONNECTION ->
          connections.computeIfAbsent(
              exchange.getRemoteAddress(),
              connection -> Math.floorMod(next.getAndIncrement(), targets.size()));
    };
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Deliveries carrying an alert named {@code alertName}. */
  List<Delivery> deliveriesOf(String alertName) {
    return deliveries.stream().filter(d -> d.alertNames().contains(alertName)).toList();
  }

  private void relay(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      int replica = replicaFor(exchange);
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(targets.get(replica))
              .timeout(Duration.ofSeconds(30))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null) {
        forward.header("Content-Type", contentType);
      }
      if (authorization != null) {
        forward.header("Authorization", authorization);
      }
      HttpResponse<byte[]> answer;
      try {
        answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      Delivery delivery =
          new Delivery(
              authorization,
              JSON.readTree(body),
              answer.statusCode(),
              new String(answer.body(), StandardCharsets.UTF_8),
              replica);
      deliveries.add(delivery);
      holdIfAsked(delivery);
      answer
          .headers()
          .firstValue("Content-Type")
          .ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
      answer
          .headers()
          .firstValue("Retry-After")
          .ifPresent(v -> exchange.getResponseHeaders().add("Retry-After", v));
      exchange.sendResponseHeaders(
          answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
