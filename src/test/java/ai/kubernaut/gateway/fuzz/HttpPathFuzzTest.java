package ai.kubernaut.gateway.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the whole HTTP path of a running gateway, a short run in every build.
 */
class HttpPathFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void httpPath(byte[] input) {
    HostileInputs.http(input);
  }
}
