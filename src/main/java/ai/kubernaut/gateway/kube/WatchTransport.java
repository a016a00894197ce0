package ai.kubernaut.gateway.kube;

import java.io.IOException;
import java.time.Duration;

/** One way of sending a watch request and reading its events. */
interface WatchTransport {

  /**
   * Sends the watch to {@code url} and applies its events to {@code events} until it ends. A
   * connection silent for longer than {@code silence} is taken for broken where the transport can
   * tell (the server ends the watch before then).
   *
   * @throws IOException when no answer came (the connection failed)
   */
  WatchEnd watch(String url, Duration silence, WatchedEvents events)
      throws IOException, InterruptedException;

  /** Ends the watch under way and any later one, from another thread. */
  void cancel();
}
