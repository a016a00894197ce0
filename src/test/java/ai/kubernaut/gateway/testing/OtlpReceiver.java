package ai.kubernaut.gateway.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * An in-process OTLP/HTTP trace receiver: accepts {@code POST /v1/traces} and keeps each protobuf
 * body as it arrived. An empty 200 answer is a valid, empty {@code ExportTraceServiceResponse}.
 */
public final class OtlpReceiver implements AutoCloseable {

  private final HttpServer server;
  private final String scheme;
  private final List<byte[]> exports = new CopyOnWriteArrayList<>();

  private OtlpReceiver(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
  }

  public static OtlpReceiver start() {
    try {
      return listen(
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A receiver speaking HTTPS with the key and certificate of {@code tls}. */
  public static OtlpReceiver startHttps(SSLContext tls) {
    try {
      HttpsServer server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      return listen(server, "https");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OtlpReceiver listen(HttpServer server, String scheme) {
    OtlpReceiver receiver = new OtlpReceiver(server, scheme);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            receiver.exports.add(body.readAllBytes());
          }
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return receiver;
  }

  /** The base endpoint, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
  public String endpoint() {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<byte[]> exports() {
    return List.copyOf(exports);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
