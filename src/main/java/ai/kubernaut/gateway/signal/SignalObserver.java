package ai.kubernaut.gateway.signal;

import java.util.List;

/** Sees every signal the processor handles: metrics and the audit trail hang off this. */
public interface SignalObserver {

  /** A signal's target was resolved and it enters the dedup pipeline. */
  default void resolved(Signal signal) {}

  /**
   * A signal reached its final outcome. Called before the sender is answered; an observer that must
   * not lose the outcome (the audit trail) persists it before returning.
   */
  void completed(Outcome outcome, RequestContext context);

  static SignalObserver all(List<SignalObserver> observers) {
    List<SignalObserver> copy = List.copyOf(observers);
    return new SignalObserver() {
      @Override
      public void resolved(Signal signal) {
        copy.forEach(o -> o.resolved(signal));
      }

      @Override
      public void completed(Outcome outcome, RequestContext context) {
        copy.forEach(o -> o.completed(outcome, context));
      }
    };
  }
}
