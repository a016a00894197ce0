package ai.kubernaut.gateway.kube.http;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands an answer's body to fabric8's consumer a chunk at a time, each when the consumer asks for
 * it. The thread that asks reads the chunk; a consumer asking again from inside its callback is
 * served by the loop already running, so the stack does not grow. A streamed body (a watch) is read
 * by a virtual thread instead, since a read there waits for the next event.
 */
final class ResponseBody implements AsyncBody {

  private static final int MAX_CHUNK = 16 * 1024;

  /** A factory, not a builder: a builder is not safe for use by concurrent threads. */
  private static final ThreadFactory STREAM_READERS =
      Thread.ofVirtual().name("kube-stream-reader").factory();

  private final Http1ClientResponse response;
  private final Consumer<List<ByteBuffer>> consumer;
  private final boolean streamed;
  private final int chunkSize;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** Chunks asked for and not yet delivered; whoever raises it from zero runs the read loop. */
  private final AtomicInteger asked = new AtomicInteger();

  private InputStream in;

  ResponseBody(
      Http1ClientResponse response, Consumer<List<ByteBuffer>> consumer, boolean streamed) {
    this.response = response;
    this.consumer = consumer;
    this.streamed = streamed;
    long length = response.headers().contentLength().orElse(-1);
    this.chunkSize = length >= 0 && length < MAX_CHUNK ? (int) Math.max(length, 1) : MAX_CHUNK;
    done.whenComplete((ignored, failure) -> response.close());
  }

  @Override
  public void consume() {
    if (done.isDone() || asked.getAndIncrement() > 0) {
      return;
    }
    if (streamed) {
      STREAM_READERS.newThread(this::deliver).start();
    } else {
      deliver();
    }
  }

  private void deliver() {
    try {
      if (in == null) {
        in = response.inputStream();
      }
      do {
        byte[] chunk = new byte[chunkSize];
        int read = in.read(chunk);
        if (read < 0) {
          done.complete(null);
          return;
        }
        consumer.consume(List.of(ByteBuffer.wrap(chunk, 0, read)), this);
      } while (asked.decrementAndGet() > 0 && !done.isDone());
    } catch (IOException | RuntimeException e) {
      done.completeExceptionally(done.isCancelled() ? e : BlockingHttpClient.asIoFailure(e));
    } catch (Exception e) {
      done.completeExceptionally(e);
    }
  }

  @Override
  public CompletableFuture<Void> done() {
    return done;
  }

  @Override
  public void cancel() {
    done.cancel(false);
  }
}
