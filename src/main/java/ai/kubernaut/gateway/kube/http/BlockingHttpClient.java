package ai.kubernaut.gateway.kube.http;

import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpClient;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest.ByteArrayBodyContent;
import io.fabric8.kubernetes.client.http.StandardHttpRequest.InputStreamBodyContent;
import io.fabric8.kubernetes.client.http.StandardHttpRequest.StringBodyContent;
import io.fabric8.kubernetes.client.http.StandardWebSocketBuilder;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fabric8 HTTP client whose requests block the calling thread until the answer's head is in; the
 * futures it hands back are already complete. A body is read on the thread that asks for it, except
 * a streamed one (a watch), which a virtual thread of its own reads.
 */
final class BlockingHttpClient
    extends StandardHttpClient<
        BlockingHttpClient, BlockingHttpClientFactory, BlockingHttpClientBuilder> {

  /**
   * How long a streamed answer without a timeout of its own may stay silent: a watch's own timeout
   * ends it well before. A streamed request with a timeout waits that long for each read.
   */
  private static final Duration STREAM_READ_TIMEOUT = Duration.ofHours(1);

  /** How long a request without a timeout of its own waits for each read of its answer. */
  private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  private final Http1Client helidon;

  BlockingHttpClient(BlockingHttpClientBuilder builder, Http1Client helidon, AtomicBoolean closed) {
    super(builder, closed);
    this.helidon = helidon;
  }

  Http1Client helidon() {
    return helidon;
  }

  /**
   * Sends through the interceptors as fabric8 does, without fabric8's timer and retry wrapper when
   * fabric8's own retries are off (the gateway retries in its own layer): the answer is already in
   * when this returns, and arming and cancelling a timer for every request cost about 5 % of the
   * gateway's CPU. The socket's read timeout bounds the wait instead.
   */
  @Override
  public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(
      HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    RequestConfig config = getTag(RequestConfig.class);
    if (config != null && config.getRequestRetryBackoffLimit() > 0) {
      return super.consumeBytes(request, consumer);
    }
    Collection<Interceptor> interceptors = builder.getInterceptors().values();
    StandardHttpRequest.Builder resend = ((StandardHttpRequest) request).newBuilder();
    StandardHttpRequest outgoing = (StandardHttpRequest) request;
    for (Interceptor interceptor : interceptors) {
      interceptor.before(resend, outgoing, this);
      outgoing = resend.build();
    }
    AsyncBody.Consumer<List<ByteBuffer>> wrapped = consumer;
    for (Interceptor interceptor : interceptors) {
      wrapped = interceptor.consumer(wrapped, outgoing);
    }
    StandardHttpRequest sent = outgoing;
    AsyncBody.Consumer<List<ByteBuffer>> reader = wrapped;
    CompletableFuture<HttpResponse<AsyncBody>> answer =
        afterEach(interceptors, sent, consumeBytesDirect(sent, reader), reader);
    for (Interceptor interceptor : interceptors) {
      answer =
          answer.thenCompose(
              response -> {
                if (response.isSuccessful()) {
                  return CompletableFuture.completedFuture(response);
                }
                return interceptor
                    .afterFailure(resend, response, this)
                    .thenCompose(
                        again -> {
                          if (!Boolean.TRUE.equals(again)) {
                            return CompletableFuture.completedFuture(response);
                          }
                          response.body().cancel();
                          return afterEach(
                              interceptors,
                              sent,
                              consumeBytesDirect(resend.build(), reader),
                              reader);
                        });
              });
    }
    return answer;
  }

  private static CompletableFuture<HttpResponse<AsyncBody>> afterEach(
      Collection<Interceptor> interceptors,
      HttpRequest sent,
      CompletableFuture<HttpResponse<AsyncBody>> answer,
      AsyncBody.Consumer<List<ByteBuffer>> reader) {
    answer.thenAccept(response -> interceptors.forEach(i -> i.after(sent, response, reader)));
    return answer;
  }

  @Override
  public CompletableFuture<HttpResponse<AsyncBody>> consumeBytesDirect(
      StandardHttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (isClosed()) {
      return CompletableFuture.failedFuture(new IllegalStateException("client closed"));
    }
    Http1ClientRequest outgoing;
    try {
      outgoing = prepare(request);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Http1ClientResponse response;
    try {
      response = send(outgoing, request.body());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(asIoFailure(e));
    }
    ResponseBody body = new ResponseBody(response, consumer, request.isForStreaming());
    return CompletableFuture.completedFuture(new BlockingResponse(request, response, body));
  }

  /**
   * Everything about a request that can be found wrong before any of it is sent: a failure here is
   * the request's own fault, and certainly reached no server.
   */
  private Http1ClientRequest prepare(StandardHttpRequest request) {
    StandardHttpRequest.BodyContent body = request.body();
    if (body != null
        && !(body instanceof StringBodyContent
            || body instanceof ByteArrayBodyContent
            || body instanceof InputStreamBodyContent)) {
      throw new IllegalArgumentException("unsupported request body " + body.getClass());
    }
    Http1ClientRequest outgoing =
        helidon.method(Method.create(request.method())).skipUriEncoding(true).uri(request.uri());
    Duration timeout = request.getTimeout();
    if (request.isForStreaming()) {
      outgoing.readTimeout(timeout != null && timeout.isPositive() ? timeout : STREAM_READ_TIMEOUT);
    } else if (timeout != null && timeout.isPositive()) {
      outgoing.readTimeout(timeout);
    } else {
      outgoing.readTimeout(DEFAULT_READ_TIMEOUT);
    }
    request
        .headers()
        .forEach(
            (name, values) ->
                outgoing.headers(
                    h -> h.set(HeaderNames.create(name), values.toArray(String[]::new))));
    if (request.getContentType() != null) {
      outgoing.headers(h -> h.set(HeaderNames.CONTENT_TYPE, request.getContentType()));
    }
    return outgoing;
  }

  private static Http1ClientResponse send(
      Http1ClientRequest outgoing, StandardHttpRequest.BodyContent body) {
    return switch (body) {
      case null -> outgoing.request();
      case StringBodyContent text ->
          outgoing.submit(text.getContent().getBytes(StandardCharsets.UTF_8));
      case ByteArrayBodyContent bytes -> outgoing.submit(bytes.getContent());
      case InputStreamBodyContent stream -> {
        if (stream.getLength() >= 0) {
          outgoing.headers(h -> h.contentLength(stream.getLength()));
        }
        yield outgoing.outputStream(
            out -> {
              try (var in = stream.getContent()) {
                in.transferTo(out);
              }
              out.close();
            });
      }
      default -> throw new IllegalStateException("unsupported request body " + body.getClass());
    };
  }

  /**
   * Helidon reports a lost or refused connection as an unchecked exception, and an answer it cannot
   * parse (a header without a colon, a chunk size that is no number) as an {@link
   * IllegalArgumentException} or {@link IllegalStateException}; fabric8 and the gateway's retries
   * recognise network failures by {@link IOException}. Once a request may have been sent, any
   * failure is one: a write that fails then may have been applied, and must be read back rather
   * than taken for refused.
   */
  static IOException asIoFailure(Exception e) {
    return switch (e) {
      case UncheckedIOException unchecked -> unchecked.getCause();
      case IOException io -> io;
      default -> new IOException("connection to the API server failed: " + e.getMessage(), e);
    };
  }

  @Override
  public CompletableFuture<WebSocketResponse> buildWebSocketDirect(
      StandardWebSocketBuilder builder, WebSocket.Listener listener) {
    return CompletableFuture.failedFuture(
        new IOException(
            "WebSocket connections are not offered by this gateway's Kubernetes client: "
                + builder.asHttpRequest().uri()));
  }

  @Override
  protected void doClose() {
    helidon.closeResource();
  }
}
