package ai.kubernaut.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The API requests the bench API servers saw, by origin ({@code X-Bench-Origin}, the gateway when
 * absent), verb and resource; discovery and other non-resource paths are not counted. Served on the
 * counts port with a DataStorage stand-in: {@code GET /counts}, {@code POST /reset}, the audit
 * batch endpoint and {@code /readyz}.
 */
final class ApiCounts {

  static final String ORIGIN_HEADER = "X-Bench-Origin";

  /** origin -> "VERB resource" -> count. */
  private static final Map<String, Map<String, LongAdder>> COUNTS = new ConcurrentHashMap<>();

  private ApiCounts() {}

  /** Counts one request; {@code origin} is the origin header's value or null. */
  static void record(String origin, String method, String target) {
    String key = classify(method, target);
    if (key.endsWith(" discovery") || key.contains(" /")) {
      return;
    }
    COUNTS
        .computeIfAbsent(origin == null ? "gateway" : origin, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, k -> new LongAdder())
        .increment();
  }

  static void clear() {
    COUNTS.clear();
  }

  /** "VERB resource[/subresource]" from a method and a path with its query. */
  static String classify(String method, String full) {
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    String query = q < 0 ? "" : full.substring(q + 1);
    String[] seg = path.split("/");
    // seg[0] = "", seg[1] = api|apis
    int i;
    if (seg.length > 1 && seg[1].equals("api")) {
      i = 3;
    } else if (seg.length > 1 && seg[1].equals("apis")) {
      i = 4;
    } else {
      return method + " " + path;
    }
    if (seg.length <= i) {
      return method + " discovery";
    }
    if (seg[i].equals("namespaces") && seg.length > i + 2) {
      i += 2;
    }
    String resource = seg[i];
    boolean named = seg.length > i + 1;
    if (seg.length > i + 2) {
      resource = resource + "/" + seg[i + 2];
    }
    String verb =
        switch (method) {
          case "GET" ->
              query.contains("watch=true") || query.contains("watch=1")
                  ? "WATCH"
                  : named ? "GET" : "LIST";
          default -> method;
        };
    return verb + " " + resource;
  }

  static void serve(int port) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    http.createContext(
        "/counts",
        exchange -> {
          StringBuilder out = new StringBuilder();
          new TreeMap<>(COUNTS)
              .forEach(
                  (origin, byKey) ->
                      new TreeMap<>(byKey)
                          .forEach(
                              (key, n) ->
                                  out.append(origin)
                                      .append('\t')
                                      .append(key)
                                      .append('\t')
                                      .append(n.sum())
                                      .append('\n')));
          respond(exchange, out.toString());
        });
    http.createContext(
        "/reset",
        exchange -> {
          COUNTS.clear();
          respond(exchange, "ok\n");
        });
    // DataStorage stand-in: the gateway under test delivers its audit trail here, as in production
    http.createContext(
        "/api/v1/audit/events/batch",
        exchange -> {
          try (var body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
          }
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    http.createContext("/readyz", exchange -> respond(exchange, "ok\n"));
    http.setExecutor(Executors.newFixedThreadPool(2));
    http.start();
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }
}
