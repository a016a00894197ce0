package ai.kubernaut.gateway.kube;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one watch request, applied to the {@link IncidentIndex} as they arrive: the version
 * the next request resumes from, and how the watch ended when an event ended it. Used by one thread
 * at a time (the one reading the answer); read by the watch loop once the answer is over.
 */
final class WatchedEvents {

  private static final Logger log = LoggerFactory.getLogger(RemediationRequestWatch.class);

  private final IncidentIndex index;
  private volatile String version;
  private volatile WatchEnd end;
  private boolean finished;

  WatchedEvents(IncidentIndex index, String from) {
    this.index = index;
    this.version = from;
  }

  /**
   * Applies the event in {@code length} bytes of {@code bytes}; false once the watch must stop,
   * after an error event or an event that cannot be read.
   */
  synchronized boolean apply(byte[] bytes, int length) {
    if (finished) {
      return false;
    }
    RemediationRequestEvents.Event event;
    try {
      event = RemediationRequestEvents.read(bytes, 0, length);
    } catch (IOException e) {
      return unreadable(e.getMessage());
    }
    switch (event.type()) {
      case "ADDED", "MODIFIED" -> index.put(event.object());
      case "DELETED" -> index.remove(event.object());
      case "BOOKMARK" -> {}
      case "ERROR" -> {
        end = error(event);
        return false;
      }
      default -> {
        return unreadable("an event of type " + event.type());
      }
    }
    String seen = event.resourceVersion();
    if (seen != null && !seen.isEmpty()) {
      version = seen;
    }
    return true;
  }

  /** Ends the watch: what it said cannot be read. Returns false, for the reader to stop. */
  boolean unreadable(String why) {
    log.warn("an unreadable RemediationRequest watch event ({}): listing again", why);
    end = WatchEnd.unreadable(version);
    return false;
  }

  /** How the watch ended: as an event said, else resumed from the last version. */
  WatchEnd ended() {
    WatchEnd said = end;
    return said != null ? said : WatchEnd.resume(version);
  }

  /** How the watch ended when its connection broke: as an event said, else broken. */
  WatchEnd broke(Throwable cause) {
    WatchEnd said = end;
    if (said != null) {
      return said;
    }
    log.info("the RemediationRequest watch broke ({}): resuming from version {}", cause, version);
    return WatchEnd.broken(version);
  }

  /** How the watch ended when the server refused it with {@code code}. */
  WatchEnd refused(int code) {
    if (code == 410) {
      log.info(
          "the RemediationRequest watch from version {} was answered 410 Gone: listing again",
          version);
      return WatchEnd.gone(version);
    }
    log.warn("the RemediationRequest watch from version {} was answered {}", version, code);
    return WatchEnd.broken(version);
  }

  /**
   * Applies nothing more: returns once an event being applied is in, so that the watch loop never
   * applies a list or the next watch's events beside a reader of this watch still delivering (one
   * given up while it was, or one of a WebSocket that sends a last message as it closes).
   */
  synchronized void finish() {
    finished = true;
  }

  /** True once an event ended the watch. */
  boolean stopped() {
    return end != null;
  }

  private WatchEnd error(RemediationRequestEvents.Event event) {
    if (event.code() == 410) {
      log.info(
          "the RemediationRequest watch from version {} ended 410 Gone ({}): listing again",
          version,
          event.message());
      return WatchEnd.gone(version);
    }
    log.warn(
        "the RemediationRequest watch ended with an error {}: {}", event.code(), event.message());
    return WatchEnd.broken(version);
  }
}
