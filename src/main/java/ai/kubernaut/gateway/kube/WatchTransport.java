package ai.kubernaut.gateway.kube;

import java.io.IOException;

/** One way of sending a watch request and reading its events. */
interface WatchTransport {

  /**
   * Sends the watch to {@code url} and applies its events to {@code events} until it ends.
   *
   * @throws IOException when no answer came (the connection failed)
   */
  WatchEnd watch(String url, WatchedEvents events) throws IOException, InterruptedException;

  /** Ends the watch under way and any later one, from another thread. */
  void cancel();
}
