package ai.kubernaut.gateway.audit;

import ai.kubernaut.gateway.audit.spool.SpoolRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Posts audit batches to DataStorage ({@code POST /api/v1/audit/events/batch}, a JSON array) with
 * the pod's service-account token, over the JDK HTTP client. The whole exchange (connecting,
 * sending, the answer's headers and its body) must end within the timeout, so an answer whose body
 * stalls cannot hold delivery up; only the first 4 KiB of a body are kept.
 */
final class DataStorageClient {

  static final String BATCH_PATH = "/api/v1/audit/events/batch";
  private static final int MAX_ERROR_BODY = 4096;

  /**
   * DataStorage's answer.
   *
   * @param status the HTTP status
   * @param body the start of the response body, for logs and dead letters
   * @param retryAfter the {@code Retry-After} header in seconds, when present
   * @param tokenSent the bearer token the request carried, if any
   * @param location the {@code Location} header, when present
   */
  record Answer(
      int status,
      String body,
      Optional<Duration> retryAfter,
      Optional<String> tokenSent,
      Optional<String> location) {

    /** An attempt that got no answer: status 0. */
    static Answer none(String why) {
      return new Answer(0, why, Optional.empty(), Optional.empty(), Optional.empty());
    }

    boolean accepted() {
      return status >= 200 && status < 300;
    }

    /**
     * What to do with the batch: 2xx accepted; 401, 403, 408, 429, 5xx and no answer mean
     * DataStorage is not available to us now, and 409, 423 and 425 that it cannot take them just
     * now (a conflict, a lock, too early), so retry; 404, 405, 410 and 415 say the endpoint does
     * not take audit batches at all (a wrong URL or DataStorage version), which no event can cause;
     * a 3xx sends them elsewhere, which the gateway does not follow (a wrong URL too); any other
     * 4xx refuses the content.
     */
    Verdict verdict() {
      if (accepted()) {
        return Verdict.ACCEPTED;
      }
      if (status >= 300 && status < 400) {
        return Verdict.REDIRECTED;
      }
      if (status == 404 || status == 405 || status == 410 || status == 415) {
        return Verdict.WRONG_ENDPOINT;
      }
      boolean unavailable =
          status == 0
              || status == 401
              || status == 403
              || status == 408
              || status == 409
              || status == 423
              || status == 425
              || status == 429
              || status >= 500
              || status < 400;
      return unavailable ? Verdict.RETRY : Verdict.REFUSED;
    }

    /** A one-line account for logs and readiness. */
    String describe() {
      if (status == 0) {
        return body;
      }
      String text = body.replaceAll("\\s+", " ").trim();
      if (text.length() > 200) {
        text = text.substring(0, 200) + "…";
      }
      return "answered " + status + (text.isEmpty() ? "" : ": " + text);
    }
  }

  /** How a batch fared. */
  enum Verdict {
    ACCEPTED,
    REFUSED,
    WRONG_ENDPOINT,
    REDIRECTED,
    RETRY
  }

  private final URI batchEndpoint;
  private final URI healthEndpoint;
  private final Duration timeout;
  private final ServiceAccountToken token;
  private final HttpClient http;
  private final Tracer tracer;

  DataStorageClient(
      URI baseUrl,
      URI healthEndpoint,
      Duration timeout,
      ServiceAccountToken token,
      Optional<SSLContext> tls,
      Tracer tracer) {
    this.tracer = tracer;
    String base = baseUrl.toString().replaceAll("/+$", "");
    this.batchEndpoint = URI.create(base + BATCH_PATH);
    this.healthEndpoint = healthEndpoint;
    this.timeout = timeout;
    this.token = token;
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
    tls.ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  URI batchEndpoint() {
    return batchEndpoint;
  }

  /** Posts one batch, traced as a client span of its own: delivery runs apart from requests. */
  Answer post(List<SpoolRecord> events) throws IOException, InterruptedException {
    Span span =
        tracer
            .spanBuilder("POST audit events batch")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("http.request.method", "POST")
            .setAttribute("url.full", batchEndpoint.toString())
            .setAttribute("audit.events", events.size())
            .startSpan();
    try {
      Answer answer = postBatch(events);
      span.setAttribute("http.response.status_code", answer.status());
      if (answer.status() >= 400) {
        span.setStatus(StatusCode.ERROR);
      }
      return answer;
    } catch (IOException | RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }

  private Answer postBatch(List<SpoolRecord> events) throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write('[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.write(events.get(i).payload());
    }
    body.write(']');
    HttpRequest.Builder request =
        HttpRequest.newBuilder(batchEndpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    return send(request);
  }

  /** Asks DataStorage's health endpoint whether it is up. */
  Answer probe() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(healthEndpoint).timeout(timeout).GET());
  }

  void tokenRejected() {
    token.invalidate();
  }

  Optional<String> currentToken() {
    return token.current();
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    Optional<String> bearer = token.current();
    bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    CompletableFuture<HttpResponse<String>> exchange =
        http.sendAsync(request.build(), info -> new FirstBytes(MAX_ERROR_BODY));
    HttpResponse<String> response;
    try {
      response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new HttpTimeoutException(
          "no complete answer within datastorage.timeout (" + timeout.toMillis() + " ms)");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause);
    }
    return new Answer(
        response.statusCode(),
        response.body() == null ? "" : response.body(),
        response.headers().firstValue("Retry-After").flatMap(DataStorageClient::retryAfter),
        bearer,
        response.headers().firstValue("Location"));
  }

  /** Keeps the first bytes of a body and reads the rest without keeping it. */
  private static final class FirstBytes implements HttpResponse.BodySubscriber<String> {

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();

    FirstBytes(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        int n = Math.min(item.remaining(), limit - kept.size());
        if (n > 0) {
          byte[] bytes = new byte[n];
          item.get(bytes);
          kept.write(bytes, 0, n);
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(kept.toString(StandardCharsets.UTF_8));
    }
  }

  /** {@code Retry-After} as seconds or as an HTTP date (RFC 9110); anything else is ignored. */
  static Optional<Duration> retryAfter(String value) {
    String text = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(text))));
    } catch (NumberFormatException e) {
      try {
        java.time.ZonedDateTime at =
            java.time.ZonedDateTime.parse(
                text, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration left = Duration.between(java.time.Instant.now(), at.toInstant());
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
      } catch (java.time.format.DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
