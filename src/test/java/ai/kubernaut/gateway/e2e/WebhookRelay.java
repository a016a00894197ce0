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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Passes Alertmanager's webhook requests through to the gateway unchanged (body, content type,
 * authorization) and returns the gateway's answer unchanged, recording both: what Alertmanager
 * sent, and which status it got back.
 */
final class WebhookRelay implements AutoCloseable {

  /** One webhook request and the gateway's answer to it. */
  record Delivery(String authorization, JsonNode webhook, int status, String response) {

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
  private final URI target;
  private final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();

  private WebhookRelay(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::relay);
    server.setExecutor(executor);
    server.start();
  }

  /** A relay forwarding every request it receives, whatever its path, to {@code target}. */
  static WebhookRelay to(URI target) throws IOException {
    return new WebhookRelay(target);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + target.getPath());
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
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(target)
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
      deliveries.add(
          new Delivery(
              authorization,
              JSON.readTree(body),
              answer.statusCode(),
              new String(answer.body(), StandardCharsets.UTF_8)));
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
