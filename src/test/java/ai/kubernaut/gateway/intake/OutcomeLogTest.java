package ai.kubernaut.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.OccurrenceCount;
import ai.kubernaut.gateway.signal.Outcome;
import ai.kubernaut.gateway.signal.RequestContext;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.signal.Signal;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OutcomeLogTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private final Logger logger = (Logger) LoggerFactory.getLogger(OutcomeLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.INFO);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void aNewIncidentIsOneLineCarryingRequestIdAndFingerprint() {
    Signal signal = signal();
    IncidentState rr =
        new IncidentState(
            "rr-1",
            "kubernaut-system",
            "7",
            signal.fingerprint().value(),
            1,
            NOW,
            "",
            "",
            Optional.empty(),
            Optional.empty());

    new OutcomeLog()
        .completed(
            new Outcome.Created(signal, rr, OccurrenceCount.first(1, NOW)),
            RequestContext.unauthenticated("req-42", "prometheus", NOW));

    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getFormattedMessage())
                  .isEqualTo(
                      "prometheus KubePodCrashLooping opened kubernaut-system/rr-1 for demo:Deployment:checkout");
              assertThat(line.getMDCPropertyMap())
                  .containsEntry("request_id", "req-42")
                  .containsEntry("fingerprint", signal.fingerprint().value());
            });
  }

  @Test
  void repeatsAreNotLoggedAtInfo() {
    Signal signal = signal();
    IncidentState rr =
        new IncidentState(
            "rr-1",
            "kubernaut-system",
            "7",
            signal.fingerprint().value(),
            1,
            NOW,
            "",
            "",
            Optional.empty(),
            Optional.empty());

    new OutcomeLog()
        .completed(
            new Outcome.Duplicate(
                signal,
                rr,
                OccurrenceCount.first(2, NOW),
                ai.kubernaut.gateway.signal.DedupDecision.Reason.ACTIVE),
            RequestContext.unauthenticated("req-43", "prometheus", NOW));

    assertThat(lines.list).isEmpty();
  }

  @Test
  void aResolvedAlertIsOneInfoLineSayingItWasNotCountedAndGrafanaIsAField() {
    InboundSignal grafana =
        new InboundSignal(
            "prometheus",
            "CheckoutErrorRateHigh",
            "critical",
            "",
            List.of(ResourceRef.of("Pod", "demo", "checkout-1")),
            Map.of(),
            Map.of(),
            NOW,
            NOW,
            "{}",
            true,
            "grafana");

    new OutcomeLog()
        .completed(
            new Outcome.Resolved(
                Signal.resolved(grafana, ResourceRef.of("Deployment", "demo", "checkout")),
                Optional.empty()),
            RequestContext.unauthenticated("req-45", "prometheus", NOW));

    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getLevel()).isEqualTo(Level.INFO);
              assertThat(line.getFormattedMessage())
                  .isEqualTo(
                      "prometheus CheckoutErrorRateHigh resolved, not counted: no active incident"
                          + " for demo:Deployment:checkout");
              assertThat(line.getMDCPropertyMap())
                  .containsEntry("signal_origin", "grafana")
                  .containsEntry("request_id", "req-45");
            });
  }

  @Test
  void anAlertmanagerSignalHasNoOriginField() {
    new OutcomeLog()
        .completed(
            new Outcome.Rejected(signal(), Outcome.Rejected.UNMANAGED_RESOURCE),
            RequestContext.unauthenticated("req-46", "prometheus", NOW));

    assertThat(lines.list.getFirst().getMDCPropertyMap()).doesNotContainKey("signal_origin");
  }

  @Test
  void senderChosenTextCannotBreakTheLineInTheConsoleFormat() {
    Signal signal = signal("Evil\r\n2026-11-21 INFO forged line\u2028more\\u000a");

    new OutcomeLog()
        .completed(
            new Outcome.Rejected(signal, Outcome.Rejected.UNMANAGED_RESOURCE),
            RequestContext.unauthenticated("req-44", "prometheus", NOW));

    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line.getFormattedMessage())
                    .doesNotContain("\r", "\n", "\u2028")
                    .contains("Evil\\u000d\\u000a2026-11-21 INFO forged line\\u2028more\\\\u000a"));
  }

  private static Signal signal() {
    return signal("KubePodCrashLooping");
  }

  private static Signal signal(String name) {
    InboundSignal inbound =
        new InboundSignal(
            "prometheus",
            name,
            "critical",
            "",
            List.of(ResourceRef.of("Pod", "demo", "checkout-1")),
            Map.of(),
            Map.of(),
            NOW,
            NOW,
            "{}");
    return Signal.resolved(inbound, ResourceRef.of("Deployment", "demo", "checkout"));
  }
}
