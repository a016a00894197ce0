package ai.kubernaut.gateway.adapter.kubeevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.testing.SourceBodies;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesEventSourceTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private final KubernetesEventSource adapter = new KubernetesEventSource();

  @Test
  void parsesACoreV1WarningEvent() {
    InboundSignal signal = accepted(Fixtures.bytes("kubernetes-event/core-v1-backoff.json"));

    assertThat(signal.source()).isEqualTo("kubernetes-events");
    assertThat(signal.name()).isEqualTo("BackOff");
    assertThat(signal.severity()).isEqualTo("Warning");
    assertThat(signal.targetCandidates())
        .containsExactly(new ResourceRef("Pod", "checkout-7d9f8b6c5-x2k4p", "demo", "v1"));
    assertThat(signal.firingTime()).isEqualTo(Instant.parse("2026-11-21T11:55:00Z"));
    assertThat(signal.labels()).isEmpty();
    assertThat(signal.annotations()).isEmpty();
    assertThat(signal.originalPayload()).contains("Back-off restarting failed container");
  }

  @Test
  void parsesAnEventsV1Event() {
    InboundSignal signal = accepted(Fixtures.bytes("kubernetes-event/events-v1-oom.json"));

    assertThat(signal.name()).isEqualTo("OOMKilling");
    assertThat(signal.primaryTarget())
        .isEqualTo(new ResourceRef("Pod", "checkout-7d9f8b6c5-x2k4p", "demo", "v1"));
    assertThat(signal.firingTime()).isEqualTo(Instant.parse("2026-11-21T11:57:12Z"));
  }

  @Test
  void normalEventsAreNotProcessed() {
    assertThat(parse(Fixtures.bytes("kubernetes-event/normal-scheduled.json")))
        .containsExactly(
            new ParsedSignal.Invalid(
                "event type must be Warning or Error; \"Normal\" events are not processed"));
  }

  @Test
  void reasonKindAndNameAreRequired() {
    assertThat(
            parse(
                event(
                    "{\"type\":\"Warning\",\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\"}}")))
        .containsExactly(new ParsedSignal.Invalid("event reason is required"));
    assertThat(
            parse(
                    event(
                        "{\"type\":\"Warning\",\"reason\":\"R\",\"involvedObject\":{\"name\":\"p\"}}"))
                .getFirst())
        .isInstanceOf(ParsedSignal.Invalid.class);
  }

  @Test
  void withoutTimestampsTheFiringTimeIsTheReceivedTime() {
    InboundSignal signal =
        accepted(
            event(
                "{\"type\":\"Error\",\"reason\":\"R\",\"involvedObject\":{\"kind\":\"Node\",\"name\":\"worker-1\"}}"));

    assertThat(signal.firingTime()).isEqualTo(NOW);
    assertThat(signal.severity()).isEqualTo("Error");
  }

  @Test
  void malformedAndWronglyTypedBodiesAreRejected() {
    assertThatThrownBy(() -> parse(event("[1,2]"))).isInstanceOf(InvalidPayloadException.class);
    assertThatThrownBy(() -> parse(event("{\"reason\": {\"a\": 1}}")))
        .isInstanceOf(InvalidPayloadException.class);
    assertThatThrownBy(() -> parse(event("{"))).isInstanceOf(InvalidPayloadException.class);
  }

  private List<ParsedSignal> parse(byte[] body) {
    return SourceBodies.parse(adapter, body, NOW);
  }

  private InboundSignal accepted(byte[] body) {
    List<ParsedSignal> parsed = parse(body);
    assertThat(parsed).hasSize(1).first().isInstanceOf(ParsedSignal.Accepted.class);
    return ((ParsedSignal.Accepted) parsed.getFirst()).signal();
  }

  private static byte[] event(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
