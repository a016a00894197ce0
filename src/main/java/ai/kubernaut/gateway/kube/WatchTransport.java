package ai.kubernaut.gateway.kube;

import java.io.IOException;
import java.time.Duration;

/** One way of sending a watch request and reading its events. */
interface WatchTransport {

  /**
   * Sends the watch to {@code url} and applies its events to {@code events} until it ends, or until
   * {@code limit} has passed, when the watch is given up as broken: the server ends a watch at its
   * {@code timeoutSeconds}, so one still open well after that is on a connection gone quiet.
   *
   * @throws IOException when no answer came (the connection failed)
   */
  WatchEnd watch(String url, Duration limit, WatchedEvents events)
      throws IOException, InterruptedException;

  /** Ends the watch under way and any later one, from another thread. */
  void cancel();
}
