package ai.kubernaut.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.kube.BuiltInResourceKinds;
import ai.kubernaut.gateway.testing.SourceBodies;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A body is parsed once, then checked against the parser's and the source's limits and the replay
 * rule of its source, with the Go Gateway's wording.
 */
class SignalReaderTest {

  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  static final GatewayConfig.Limits LIMITS = new GatewayConfig.Limits(10, 5, 20, 50, 8, 200);
  static final GatewayConfig.Freshness FRESHNESS =
      new GatewayConfig.Freshness(true, Duration.ofMinutes(5), Duration.ofMinutes(2));
  static final SignalReader<?> WEBHOOKS =
      SourceBodies.reader(new AlertmanagerSource(new BuiltInResourceKinds()), LIMITS, FRESHNESS);
  static final SignalReader<?> EVENTS =
      SourceBodies.reader(new KubernetesEventSource(), LIMITS, FRESHNESS);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          abc         | invalid timestamp format
          12.5        | invalid timestamp format
          -1          | invalid timestamp: negative value
          -301        | timestamp too old: possible replay attack
          121         | timestamp in future: possible clock skew attack
          """)
  void staleOrFutureTimestampHeaderIsRefused(String offsetOrText, String detail) {
    String header =
        offsetOrText.matches("-?\\d+") && !offsetOrText.equals("-1")
            ? Long.toString(NOW.getEpochSecond() + Long.parseLong(offsetOrText))
            : offsetOrText;

    assertThat(webhook(alert("2026-11-21T11:00:00Z"), header))
        .contains(new Rejection(400, "freshness", detail));
  }

  @Test
  void timestampHeaderInsideTheWindowPasses() {
    assertThat(webhook(alert(""), Long.toString(NOW.getEpochSecond() - 299))).isEmpty();
    assertThat(webhook(alert(""), Long.toString(NOW.getEpochSecond() + 119))).isEmpty();
  }

  @Test
  void alertsMayBeOldButNotFromTheFuture() {
    assertThat(webhook(alert("2026-11-20T12:00:00Z"), null)).isEmpty();
    assertThat(webhook(alert("2026-11-21T12:03:00Z"), null))
        .map(Rejection::detail)
        .contains("alert startsAt in future: possible clock skew attack");
    assertThat(webhook(alert(""), null))
        .map(Rejection::detail)
        .contains("alert payload missing startsAt timestamp");
    assertThat(webhook(alert("0001-01-01T00:00:00Z"), null))
        .map(Rejection::detail)
        .contains("alert payload missing startsAt timestamp");
  }

  @Test
  void eventsMustBeRecent() {
    assertThat(event("\"lastTimestamp\":\"2026-11-21T11:56:00Z\"")).isEmpty();
    assertThat(event("\"firstTimestamp\":\"2026-11-21T11:56:00Z\"")).isEmpty();
    assertThat(event("\"lastTimestamp\":\"2026-11-21T11:54:59Z\""))
        .map(Rejection::detail)
        .contains("event timestamp too old: possible stale event");
    assertThat(event("\"lastTimestamp\":\"2026-11-21T12:02:01Z\""))
        .map(Rejection::detail)
        .contains("event timestamp in future: possible clock skew");
    assertThat(event("\"reason\":\"BackOff\""))
        .map(Rejection::detail)
        .contains("event missing lastTimestamp and firstTimestamp");
  }

  @Test
  void malformedJsonIsAParseErrorNotARefusal() {
    assertThat(WEBHOOKS.read(bytes("{\"alerts\": ["), Optional.empty(), NOW))
        .isEqualTo(new SignalReader.Malformed("malformed JSON"));
    assertThat(WEBHOOKS.read(bytes("[]"), Optional.empty(), NOW))
        .isEqualTo(new SignalReader.Malformed("body must be an Alertmanager webhook JSON object"));
    assertThat(event("")).isNotEmpty();
    assertThat(WEBHOOKS.read(bytes("{\"alerts\":[]} {\"alerts\":[]}"), Optional.empty(), NOW))
        .isInstanceOf(SignalReader.Malformed.class);
  }

  @Test
  void theLimitsTheFreshnessRuleAndTheAdapterShareOneParse() {
    AtomicInteger parses = new AtomicInteger();
    JsonFactory counting =
        new JsonFactory() {
          @Override
          public JsonParser createParser(byte[] data) throws IOException {
            parses.incrementAndGet();
            return super.createParser(data);
          }
        };
    SignalReader<?> reader =
        new SignalReader<>(
            new AlertmanagerSource(new BuiltInResourceKinds()),
            new PayloadReader(LIMITS, counting),
            LIMITS,
            FRESHNESS);

    SignalReader.Reading reading =
        reader.read(
            bytes(
                "{\"alerts\":[{\"labels\":{\"alertname\":\"A\",\"pod\":\"p\"},"
                    + "\"startsAt\":\"2026-11-21T11:00:00Z\"},{\"labels\":{\"alertname\":\"B\","
                    + "\"pod\":\"q\"},\"startsAt\":\"2026-11-21T11:30:00Z\"}]}"),
            Optional.empty(),
            NOW);

    assertThat(reading).isInstanceOf(SignalReader.Signals.class);
    assertThat(((SignalReader.Signals) reading).signals()).hasSize(2);
    assertThat(parses).hasValue(1);
  }

  @Test
  void everyShapeLimitIsNamed() {
    String elevenAlerts =
        IntStream.range(0, 11)
            .mapToObj(i -> "{\"startsAt\":\"2026-11-21T11:00:00Z\"}")
            .collect(Collectors.joining(",", "{\"alerts\":[", "]}"));
    assertThat(webhook(elevenAlerts, null))
        .contains(
            new Rejection(
                413, "payload_limit", "Too many alerts: 11 exceeds the limit of 10 per webhook"));

    String sixLabels =
        IntStream.range(0, 6)
            .mapToObj(i -> "\"l" + i + "\":\"v\"")
            .collect(Collectors.joining(",", "{\"alerts\":[{\"labels\":{", "}}]}"));
    assertThat(webhook(sixLabels, null))
        .map(Rejection::detail)
        .contains("Too many entries in alerts[0].labels: 6 exceeds the limit of 5");

    assertThat(webhook("{\"alerts\":[{\"annotations\":{\"" + "k".repeat(21) + "\":\"v\"}}]}", null))
        .map(Rejection::detail)
        .contains("A key in alerts[0].annotations exceeds the limit of 20 characters");
    assertThat(webhook("{\"commonLabels\":{\"k\":\"" + "v".repeat(51) + "\"}}", null))
        .map(Rejection::detail)
        .contains("A value in commonLabels exceeds the limit of 50 characters");
    assertThat(webhook("{\"x\":" + "[".repeat(8) + "]".repeat(8) + "}", null))
        .contains(
            new Rejection(400, "nesting_depth", "JSON nesting exceeds the limit of 8 levels"));
    assertThat(webhook("{\"receiver\":\"" + "s".repeat(201) + "\"}", null))
        .map(Rejection::detail)
        .contains("JSON string exceeds the limit of 200 characters");
    assertThat(webhook("{\"alerts\":\"no list\",\"x\":[\"" + "s".repeat(201) + "\"]}", null))
        .map(Rejection::detail)
        .contains("JSON string exceeds the limit of 200 characters");
  }

  private static Optional<Rejection> webhook(String body, String header) {
    return refusal(WEBHOOKS.read(bytes(body), Optional.ofNullable(header), NOW));
  }

  private static Optional<Rejection> event(String fields) {
    return refusal(EVENTS.read(bytes("{" + fields + "}"), Optional.empty(), NOW));
  }

  private static Optional<Rejection> refusal(SignalReader.Reading reading) {
    return reading instanceof SignalReader.Refused r
        ? Optional.of(r.rejection())
        : Optional.empty();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String alert(String startsAt) {
    return "{\"alerts\":[{\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"" + startsAt + "\"}]}";
  }
}
