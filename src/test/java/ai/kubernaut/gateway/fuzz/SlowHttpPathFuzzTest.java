package ai.kubernaut.gateway.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the whole HTTP path of a running gateway, long enough for CI (100,000
 * inputs).
 */
@Tag("slow")
class SlowHttpPathFuzzTest {

  @FuzzTest(maxDuration = "30m", maxExecutions = 100_000)
  void httpPath(byte[] input) {
    HostileInputs.http(input);
  }
}
