package ai.kubernaut.gateway.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the Alertmanager and Event adapters and the payload inspector, a short
 * run in every build.
 */
class AdapterFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void alertmanagerAndEventAdapters(byte[] input) {
    HostileInputs.adapters(input);
  }
}
