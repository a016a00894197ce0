package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A watch as a streamed HTTP answer, one event per line: what the API server offers every client
 * and the gateway's own HTTP client uses. The events are applied on the thread that reads the
 * answer, as each line completes.
 */
final class StreamedWatch implements WatchTransport {

  /** A watch event larger than this is no RemediationRequest the server could store. */
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private final HttpClient http;
  private volatile boolean cancelled;
  private volatile HttpResponse<AsyncBody> current;

  StreamedWatch(HttpClient http) {
    this.http = http;
  }

  @Override
  public WatchEnd watch(String url, Duration limit, WatchedEvents events)
      throws IOException, InterruptedException {
    HttpRequest request = http.newHttpRequestBuilder().uri(url).forStreaming().build();
    EventLines lines = new EventLines(MAX_EVENT_BYTES);
    AsyncBody.Consumer<List<ByteBuffer>> reader =
        (chunks, body) -> {
          try {
            for (ByteBuffer chunk : chunks) {
              if (!lines.feed(chunk, events::apply)) {
                break;
              }
            }
          } catch (IOException e) {
            events.unreadable(e.getMessage());
          }
          if (events.stopped()) {
            body.cancel();
          } else {
            body.consume();
          }
        };
    HttpResponse<AsyncBody> response;
    try {
      response = http.consumeBytes(request, reader).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    current = response;
    try {
      if (cancelled) {
        return events.ended();
      }
      if (!response.isSuccessful()) {
        return events.refused(response.code());
      }
      response.body().consume();
      try {
        response.body().done().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (CancellationException e) {
        // an event stopped the watch, or it was cancelled
      } catch (TimeoutException e) {
        return events.broke(new TimeoutException("still open after " + limit));
      } catch (ExecutionException e) {
        if (!cancelled) {
          return events.broke(e.getCause());
        }
      }
      return events.ended();
    } finally {
      current = null;
      response.body().cancel();
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    HttpResponse<AsyncBody> open = current;
    if (open != null) {
      open.body().cancel();
    }
  }
}
