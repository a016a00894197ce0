package ai.kubernaut.gateway.http;

/** What the connection deadlines count: connections closed, and why. */
public interface ConnectionMetrics {

  /** Closed because the client did not send its request headers in time. */
  void headersTooSlow();

  /** Closed because the client did not send its request body in time. */
  void bodyTooSlow();

  /** Closed because the answer was not processed and taken by the client in time. */
  void responseTooSlow();

  /** Closed on accept: slots run short and the client holds its share of connections. */
  void overPerClientLimit();

  /** Closed while idle between requests, so that its slot serves a waiting client. */
  void idleUnderPressure();
}
