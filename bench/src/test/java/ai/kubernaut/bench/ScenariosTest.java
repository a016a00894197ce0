package ai.kubernaut.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.bench.Signals.SignalKind;
import ai.kubernaut.bench.TrafficScenario.Pace;
import ai.kubernaut.bench.TrafficScenario.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenariosTest {

  @Test
  void everyTableRunShRunsIsAScenarioAndNoOther() throws Exception {
    String runSh = Files.readString(Path.of("run.sh"));
    Matcher names = Pattern.compile("(?m)^  ([a-z |]+)\\) run ").matcher(runSh);
    Set<String> dispatched = new TreeSet<>();
    while (names.find()) {
      for (String name : names.group(1).split("\\|")) {
        dispatched.add(name.trim());
      }
    }

    assertThat(Scenarios.all(Map.of()).keySet())
        .containsExactlyInAnyOrderElementsOf(dispatched)
        .contains("smoke", "storm", "mixed", "newheavy", "events", "replicas", "memory", "startup");
  }

  @Test
  void mixedRunsClosedLoopFirstThenEachOpenRateForTheGivenLength() {
    TrafficScenario mixed =
        (TrafficScenario)
            Scenarios.all(Map.of("seconds", "7", "connections", "32", "workloads", "200"))
                .get("mixed");

    assertThat(mixed.steps().stream().map(s -> s.pace().label()).collect(Collectors.toList()))
        .containsExactly("closed, c=32", "open, 100/s", "open, 300/s", "open, 1000/s");
    assertThat(mixed.steps()).allMatch(s -> s.length().equals(Duration.ofSeconds(7)));
    assertThat(mixed.workloads()).isEqualTo(200);
    assertThat(mixed.endedBeforeMeasuring()).isEqualTo(20);
    assertThat(mixed.baseline().pace()).isEqualTo(Pace.closed(32));
  }

  @Test
  void stormWarmsUpUnreportedAndItsBaselineNeverOpensAnIncident() {
    TrafficScenario storm = (TrafficScenario) Scenarios.all(Map.of()).get("storm");

    assertThat(storm.steps()).extracting(Step::reported).containsExactly(false, true);
    assertThat(storm.baseline().fingerprints()).isEqualTo(1);
    assertThat(storm.baseline().wantsNew(0)).isFalse();
    assertThat(storm.baseline().wantsNew(10)).isFalse();
  }

  @Test
  void smokeChecksAlertsAndEventsAndLabelsTheEventsRow() {
    TrafficScenario smoke = (TrafficScenario) Scenarios.all(Map.of()).get("smoke");

    assertThat(smoke.check()).isTrue();
    assertThat(smoke.steps()).extracting(Step::kind).contains(SignalKind.ALERT, SignalKind.EVENT);
    assertThat(smoke.steps().getLast().label(true)).isEqualTo("closed, c=4 (events)");
    assertThat(smoke.baseline().wantsNew(10)).isTrue();
    assertThat(smoke.baseline().wantsNew(11)).isFalse();
  }
}
