package ai.kubernaut.gateway.http;

import java.util.Optional;

/** Whether the gateway may take new signals now; checked before a signal request is read. */
@FunctionalInterface
public interface Admission {

  /** Why new signals are refused now (answered 503 with {@code Retry-After}); empty to accept. */
  Optional<String> refusal();

  /** Admits every signal. */
  static Admission always() {
    return Optional::empty;
  }
}
