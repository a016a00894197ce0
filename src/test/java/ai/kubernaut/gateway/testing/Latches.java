package ai.kubernaut.gateway.testing;

import java.util.concurrent.CountDownLatch;

/** Waiting on latches the way stand-ins for slow parts of the system must. */
public final class Latches {

  private Latches() {}

  /**
   * Waits until {@code latch} opens without reacting to interrupts, as a slow disk or a write
   * already sent does, and keeps an interrupt that came meanwhile for the caller.
   */
  public static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
