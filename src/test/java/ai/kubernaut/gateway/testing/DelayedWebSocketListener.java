package ai.kubernaut.gateway.testing;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wraps the mock server's side of a watch so that every event it sends reaches the client {@code
 * delay} later, in order: an informer on the other end lags behind the store by that much.
 */
final class DelayedWebSocketListener extends WebSocketListener {

  private final WebSocketListener delegate;
  private final Duration delay;
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

  DelayedWebSocketListener(WebSocketListener delegate, Duration delay) {
    this.delegate = delegate;
    this.delay = delay;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(delayed(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(delayed(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(delayed(webSocket), text);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(delayed(webSocket), bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(delayed(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(delayed(webSocket), code, reason);
    sender.shutdown();
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    delegate.onFailure(delayed(webSocket), t, response);
    sender.shutdown();
  }

  private WebSocket delayed(WebSocket socket) {
    return new WebSocket() {
      @Override
      public RecordedRequest request() {
        return socket.request();
      }

      @Override
      public boolean send(String text) {
        return later(() -> socket.send(text));
      }

      @Override
      public boolean send(byte[] bytes) {
        return later(() -> socket.send(bytes));
      }

      @Override
      public boolean close(int code, String reason) {
        return later(() -> socket.close(code, reason));
      }
    };
  }

  /** Single-threaded with a constant delay, so events keep their order. */
  private boolean later(Runnable send) {
    if (sender.isShutdown()) {
      return false;
    }
    sender.schedule(send, delay.toNanos(), TimeUnit.NANOSECONDS);
    return true;
  }
}
