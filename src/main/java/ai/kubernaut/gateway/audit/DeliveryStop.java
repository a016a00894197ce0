package ai.kubernaut.gateway.audit;

import java.time.Duration;

/** Whether audit delivery is stopping, and the pauses between attempts that stopping cuts short. */
final class DeliveryStop {

  private volatile boolean stopping;

  boolean stopping() {
    return stopping;
  }

  void stop() {
    stopping = true;
  }

  /** Sleeps for {@code pause}; false when delivery is stopping or the sleep was interrupted. */
  boolean pause(Duration pause) {
    try {
      Thread.sleep(pause);
      return !stopping;
    } catch (InterruptedException e) {
      return false;
    }
  }
}
