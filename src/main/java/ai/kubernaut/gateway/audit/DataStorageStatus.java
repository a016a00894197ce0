package ai.kubernaut.gateway.audit;

/**
 * What the gateway last learned about DataStorage: written by delivery, read by readiness and the
 * metrics.
 */
final class DataStorageStatus {

  private record State(boolean ok, String message) {}

  private volatile State state = new State(false, "not contacted yet");

  boolean ok() {
    return state.ok();
  }

  /** Null while DataStorage accepts events, else what is wrong. */
  String problem() {
    State s = state;
    return s.ok() ? null : s.message();
  }

  /** Whether {@code problem} is what is already known to be wrong. */
  boolean alreadyFailingWith(String problem) {
    return !state.ok() && problem.equals(state.message());
  }

  void reachable() {
    state = new State(true, "reachable");
  }

  void failing(String problem) {
    state = new State(false, problem);
  }
}
