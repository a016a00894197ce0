package ai.kubernaut.gateway.kube;

/**
 * How one watch request ended: the version to resume from, whether the cache must be listed again
 * first (the server no longer has that version, or an event could not be read), and whether it
 * ended by a failure, after which the next attempt waits.
 */
record WatchEnd(String version, boolean relist, boolean failed) {

  /** The server ended the watch, as it does at the watch's timeout: resume at once. */
  static WatchEnd resume(String version) {
    return new WatchEnd(version, false, false);
  }

  /** The server no longer has the version (410 Gone): list again at once. */
  static WatchEnd gone(String version) {
    return new WatchEnd(version, true, false);
  }

  /** The watch broke or was refused: resume from the version after a pause. */
  static WatchEnd broken(String version) {
    return new WatchEnd(version, false, true);
  }

  /** The watch said something this gateway cannot read: list again after a pause. */
  static WatchEnd unreadable(String version) {
    return new WatchEnd(version, true, true);
  }
}
