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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Posts audit batches to DataStorage ({@code POST /api/v1/audit/events/batch}, a JSON array) with
 * the pod's service-account token, over the JDK HTTP client.
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
   */
  record Answer(
      int status, String body, Optional<Duration> retryAfter, Optional<String> tokenSent) {
    boolean accepted() {
      return status >= 200 && status < 300;
    }

    /**
     * What to do with the batch: 2xx accepted; 401, 403, 408, 429, 5xx and no answer mean
     * DataStorage is not available to us now, so retry; 404, 405, 410 and 415 say the endpoint does
     * not take audit batches at all (a wrong URL or DataStorage version), which no event can cause;
     * any other 4xx refuses the content.
     */
    Verdict verdict() {
      if (accepted()) {
        return Verdict.ACCEPTED;
      }
      if (status == 404 || status == 405 || status == 410 || status == 415) {
        return Verdict.WRONG_ENDPOINT;
      }
      boolean unavailable =
          status == 0
              || status == 401
              || status == 403
              || status == 408
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
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String text = response.body() == null ? "" : response.body();
    return new Answer(
        response.statusCode(),
        text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) : text,
        response.headers().firstValue("Retry-After").flatMap(DataStorageClient::retryAfter),
        bearer);
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
