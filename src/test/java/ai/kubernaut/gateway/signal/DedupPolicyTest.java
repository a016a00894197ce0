package ai.kubernaut.gateway.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DedupPolicyTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final String FP = "a".repeat(64);

  static Stream<Arguments> phases() {
    return Stream.of(
        // Every non-terminal phase keeps absorbing repeats.
        Arguments.of("Pending", true),
        Arguments.of("Processing", true),
        Arguments.of("Analyzing", true),
        Arguments.of("AwaitingApproval", true),
        Arguments.of("Executing", true),
        Arguments.of("Verifying", true),
        Arguments.of("Blocked", true),
        // Not yet picked up by the orchestrator.
        Arguments.of("", true),
        // A phase this gateway does not know is treated as active: fail safe, no duplicate.
        Arguments.of("SomethingNew", true),
        // The terminal whitelist.
        Arguments.of("Completed", false),
        Arguments.of("Failed", false),
        Arguments.of("TimedOut", false),
        Arguments.of("Skipped", false),
        Arguments.of("Cancelled", false));
  }

  @ParameterizedTest(name = "phase \"{0}\" absorbs repeats: {1}")
  @MethodSource("phases")
  void activeUnlessTheTerminalWhitelistSaysOtherwise(String phase, boolean absorbs) {
    DedupDecision decision = DedupPolicy.decide(List.of(incident("rr-1", phase, "", null)), NOW);
    if (absorbs) {
      assertThat(decision)
          .isEqualTo(
              new DedupDecision.FoldInto(
                  incident("rr-1", phase, "", null), DedupDecision.Reason.ACTIVE));
    } else {
      assertThat(decision).isInstanceOf(DedupDecision.CreateIncident.class);
    }
  }

  @Test
  void noIncidentMeansANewOne() {
    assertThat(DedupPolicy.decide(List.of(), NOW)).isInstanceOf(DedupDecision.CreateIncident.class);
  }

  @Test
  void manualReviewSuppressesNewIncidentsUntilAHumanActs() {
    IncidentState review = incident("rr-1", "Completed", "ManualReviewRequired", null);
    assertThat(DedupPolicy.decide(List.of(review), NOW))
        .isEqualTo(new DedupDecision.FoldInto(review, DedupDecision.Reason.MANUAL_REVIEW));
  }

  @Test
  void futureNextAllowedExecutionSuppressesAndTheLatestWins() {
    IncidentState soon = incident("rr-1", "Failed", "", NOW.plus(Duration.ofMinutes(5)));
    IncidentState later = incident("rr-2", "Failed", "", NOW.plus(Duration.ofMinutes(30)));
    assertThat(DedupPolicy.decide(List.of(soon, later), NOW))
        .isEqualTo(new DedupDecision.FoldInto(later, DedupDecision.Reason.BACKOFF));
  }

  @Test
  void elapsedBackoffNoLongerSuppresses() {
    IncidentState past = incident("rr-1", "Failed", "", NOW.minus(Duration.ofSeconds(1)));
    assertThat(DedupPolicy.decide(List.of(past), NOW))
        .isInstanceOf(DedupDecision.CreateIncident.class);
  }

  @Test
  void anActiveIncidentWinsOverSuppressingTerminalOnes() {
    IncidentState review = incident("rr-1", "Completed", "ManualReviewRequired", null);
    IncidentState active = incident("rr-2", "Executing", "", null);
    assertThat(DedupPolicy.decide(List.of(review, active), NOW))
        .isEqualTo(new DedupDecision.FoldInto(active, DedupDecision.Reason.ACTIVE));
  }

  @Test
  void theOldestActiveIncidentIsChosenWhenSeveralExist() {
    IncidentState older =
        incident("rr-b", "Pending", "", null, Instant.parse("2026-01-01T00:00:00Z"));
    IncidentState newer =
        incident("rr-a", "Pending", "", null, Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(DedupPolicy.decide(List.of(newer, older), NOW))
        .isEqualTo(new DedupDecision.FoldInto(older, DedupDecision.Reason.ACTIVE));
  }

  private static IncidentState incident(
      String name, String phase, String outcome, Instant nextAllowed) {
    return incident(name, phase, outcome, nextAllowed, Instant.parse("2026-11-01T00:00:00Z"));
  }

  private static IncidentState incident(
      String name, String phase, String outcome, Instant nextAllowed, Instant created) {
    return new IncidentState(
        name,
        "kubernaut-system",
        "1",
        FP,
        1,
        created,
        phase,
        outcome,
        Optional.ofNullable(nextAllowed),
        Optional.empty());
  }
}
