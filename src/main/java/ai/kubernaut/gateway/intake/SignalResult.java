package ai.kubernaut.gateway.intake;

import ai.kubernaut.gateway.signal.Outcome;

/** How one signal of a request ended, in the terms its answer is built from. */
sealed interface SignalResult {

  /** Settled for good; the same answer is given to every redelivery. */
  record Recorded(RecordedAnswer answer) implements SignalResult {}

  /** The signal can never be processed: the adapter or the pipeline found it invalid. */
  record Invalid(String reason) implements SignalResult {}

  /** Not recorded; the sender must retry it. */
  record Unrecorded(Outcome.Failed failure) implements SignalResult {}

  static SignalResult of(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Invalid i -> new Invalid(i.detail());
      case Outcome.Failed f -> new Unrecorded(f);
      default ->
          new Recorded(
              RecordedAnswer.of(outcome)
                  .orElseThrow(() -> new IllegalStateException("a settled outcome has an answer")));
    };
  }

  default boolean deadlineExceeded() {
    return this instanceof Unrecorded u
        && u.failure().cause() == Outcome.FailureCause.DEADLINE_EXCEEDED;
  }
}
