package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A watch over a WebSocket, one event per message: for clients that watch that way (fabric8's
 * default clients, which embedded mode and the mock API server use; the mock offers no streamed
 * watches). The events are applied on the thread that receives them.
 */
final class WebSocketWatch implements WatchTransport {

  private static final int NORMAL_CLOSURE = 1000;

  private final HttpClient http;
  private volatile boolean cancelled;
  private volatile WebSocket current;

  WebSocketWatch(HttpClient http) {
    this.http = http;
  }

  @Override
  public WatchEnd watch(String url, Duration limit, WatchedEvents events)
      throws IOException, InterruptedException {
    CompletableFuture<WatchEnd> ended = new CompletableFuture<>();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public void onMessage(WebSocket socket, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            next(socket, bytes);
          }

          @Override
          public void onMessage(WebSocket socket, ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            next(socket, bytes);
          }

          private void next(WebSocket socket, byte[] bytes) {
            if (events.apply(bytes, bytes.length)) {
              socket.request();
            } else {
              ended.complete(events.ended());
              socket.sendClose(NORMAL_CLOSURE, "");
            }
          }

          @Override
          public void onClose(WebSocket socket, int code, String reason) {
            socket.sendClose(code, reason);
            ended.complete(events.ended());
          }

          @Override
          public void onError(WebSocket socket, Throwable error) {
            ended.complete(events.broke(error));
          }
        };
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder().uri(URI.create(url)).buildAsync(listener).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused
          && refused.getResponse() != null) {
        return events.refused(refused.getResponse().code());
      }
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    current = socket;
    try {
      if (cancelled) {
        return events.ended();
      }
      return ended.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return events.broke(new TimeoutException("still open after " + limit));
    } catch (ExecutionException e) {
      return events.broke(e.getCause());
    } finally {
      current = null;
      socket.sendClose(NORMAL_CLOSURE, "");
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    WebSocket open = current;
    if (open != null) {
      open.sendClose(NORMAL_CLOSURE, "");
    }
  }
}
