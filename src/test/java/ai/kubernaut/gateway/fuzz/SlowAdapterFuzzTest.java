package ai.kubernaut.gateway.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the Alertmanager and Event adapters and the payload inspector, long
 * enough for CI (200,000 inputs).
 */
@Tag("slow")
class SlowAdapterFuzzTest {

  @FuzzTest(maxDuration = "10m", maxExecutions = 200_000)
  void alertmanagerAndEventAdapters(byte[] input) {
    HostileInputs.adapters(input);
  }
}
