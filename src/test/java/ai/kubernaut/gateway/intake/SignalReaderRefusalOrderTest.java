package ai.kubernaut.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.adapter.kubeevent.KubernetesEventSource;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.kube.BuiltInResourceKinds;
import ai.kubernaut.gateway.testing.SourceBodies;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which refusal a body gets when it breaks more than one rule: the parser's string limit still
 * answers a body whose shape is wrong before the long string, as docs/security.md promises and as
 * the gateway answered when it parsed a tree first; and a stale {@code X-Timestamp} is a replay
 * whatever the body holds, as the Go Gateway's freshness middleware (run before the body is parsed)
 * and this gateway before the intake step answered it.
 */
class SignalReaderRefusalOrderTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final GatewayConfig.Limits LIMITS =
      new GatewayConfig.Limits(10, 5, 20, 50, 8, 200);
  private static final GatewayConfig.Freshness FRESHNESS =
      new GatewayConfig.Freshness(true, Duration.ofMinutes(5), Duration.ofMinutes(2));
  private static final SignalReader<?> WEBHOOKS =
      SourceBodies.reader(new AlertmanagerSource(new BuiltInResourceKinds()), LIMITS, FRESHNESS);
  private static final SignalReader<?> EVENTS =
      SourceBodies.reader(new KubernetesEventSource(), LIMITS, FRESHNESS);
  private static final String LONG = "s".repeat(201);
  private static final Rejection STRING_LIMIT =
      new Rejection(413, "string_length", "JSON string exceeds the limit of 200 characters");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"truncatedAlerts\":\"many\",\"alerts\":[{\"labels\":{\"alertname\":\"A\",\"v\":\"LONG\"}}]}",
        "{\"alerts\":{},\"commonLabels\":{\"k\":\"LONG\"}}",
        "{\"alerts\":[{\"startsAt\":{}}],\"receiver\":\"LONG\"}",
        "[\"LONG\"]"
      })
  void aWebhookOfTheWrongShapeWithAnOverlongStringFurtherOnIsAnsweredWithTheStringLimit(
      String body) {
    assertThat(WEBHOOKS.read(bytes(body.replace("LONG", LONG)), Optional.empty(), NOW))
        .isEqualTo(new SignalReader.Refused(STRING_LIMIT));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"count\":\"several\",\"message\":\"LONG\"}",
        "{\"series\":1,\"reason\":\"LONG\"}"
      })
  void anEventOfTheWrongShapeWithAnOverlongStringFurtherOnIsAnsweredWithTheStringLimit(
      String body) {
    assertThat(EVENTS.read(bytes(body.replace("LONG", LONG)), Optional.empty(), NOW))
        .isEqualTo(new SignalReader.Refused(STRING_LIMIT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"too many labels", "overlong label value", "malformed", "wrong shape"})
  void aStaleTimestampHeaderIsRefusedAsAReplayWhateverTheBodyHolds(String body) {
    String stale = Long.toString(NOW.minusSeconds(600).getEpochSecond());

    SignalReader.Reading reading = WEBHOOKS.read(bytes(webhook(body)), Optional.of(stale), NOW);

    assertThat(reading)
        .isEqualTo(
            new SignalReader.Refused(
                new Rejection(400, "freshness", "timestamp too old: possible replay attack")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"end-of-input", "Unexpected end-of-input"})
  void aWellFormedBodyIsNotReportedAsEndingInsideAValue(String value) {
    String body =
        "{\"truncatedAlerts\":\""
            + value
            + "\",\"alerts\":[{\"labels\":{\"alertname\":\"A\"},"
            + "\"startsAt\":\"2026-11-21T11:59:00Z\"}]}";

    SignalReader.Reading reading = WEBHOOKS.read(bytes(body), Optional.empty(), NOW);

    assertThat(reading)
        .isEqualTo(
            new SignalReader.Malformed(
                "invalid an Alertmanager webhook at truncatedAlerts: a value has the wrong type or"
                    + " form"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"alerts\":[{\"labels\":{\"alertname\":tru}}]}",
        "{\"alerts\":[{\"labels\":{\"alertname\":\"A\" \"pod\":\"p\"}}]}",
        "{\"alerts\":[{\"labels\":{\"alertname\":\"A\"},}]}"
      })
  void aSyntaxErrorInsideALabelMapIsMalformedJsonNotAShapeError(String body) {
    assertThat(WEBHOOKS.read(bytes(body), Optional.empty(), NOW))
        .isEqualTo(new SignalReader.Malformed("malformed JSON"));
  }

  private static String webhook(String kind) {
    String alert = "\"startsAt\":\"2026-11-21T11:59:00Z\"";
    return switch (kind) {
      case "too many labels" ->
          IntStream.range(0, 6)
              .mapToObj(i -> "\"l" + i + "\":\"v\"")
              .collect(
                  Collectors.joining(
                      ",", "{\"alerts\":[{" + alert + ",\"labels\":{\"alertname\":\"A\",", "}}]}"));
      case "overlong label value" ->
          "{\"alerts\":[{" + alert + ",\"labels\":{\"alertname\":\"" + LONG + "\"}}]}";
      case "malformed" -> "{\"alerts\": [";
      case "wrong shape" -> "{\"alerts\":\"none\"}";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
