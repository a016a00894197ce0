package ai.kubernaut.gateway.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * What time it is at least on the API server's clock, learnt from the {@code Date} header of its
 * answers: the server stamps it (whole seconds, truncated) before the answer leaves it, so when an
 * answer arrives the server's clock reads at least that, and it has gone on since by as much as
 * this process's monotonic clock. Any answer to any request of the client is a reading; none is
 * asked for.
 */
public final class ApiServerTime implements io.fabric8.kubernetes.client.http.Interceptor {

  public static final String NAME = "gateway-api-server-time";

  private record Reading(String header, Instant date, long receivedNanos) {}

  private final LongSupplier nanoTime;
  private final AtomicReference<Reading> last = new AtomicReference<>();

  public ApiServerTime() {
    this(System::nanoTime);
  }

  ApiServerTime(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  @Override
  public void after(
      HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> body) {
    observe(response.header("Date"));
  }

  /**
   * Notes a {@code Date} header value received just now; ignores one that does not parse. The same
   * second received again adds nothing: the first receipt of it gives the higher bound.
   */
  void observe(String date) {
    Reading previous = last.get();
    if (date == null || (previous != null && previous.header().equals(date))) {
      return;
    }
    long received = nanoTime.getAsLong();
    try {
      Instant stamped = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      last.set(new Reading(date, stamped, received));
    } catch (DateTimeParseException e) {
      // a server that stamps no usable date tells no age; claims are then judged by sightings
    }
  }

  /** The least the API server's clock reads now; empty until an answer carried a date. */
  public Optional<Instant> atLeastNow() {
    Reading reading = last.get();
    if (reading == null) {
      return Optional.empty();
    }
    long since = nanoTime.getAsLong() - reading.receivedNanos();
    return Optional.of(reading.date().plus(Duration.ofNanos(Math.max(0, since))));
  }
}
