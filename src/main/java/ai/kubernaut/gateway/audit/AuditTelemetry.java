package ai.kubernaut.gateway.audit;

import java.time.Duration;
import java.util.List;

/** What the audit trail reports to metrics. */
public interface AuditTelemetry {

  /** Events written to the spool and on disk. */
  void spooled(int events);

  /** Events not kept (spool full in drop mode, or a disk error in drop mode). */
  void dropped(int events);

  /** Events DataStorage accepted, each with the time from spooling to acceptance. */
  void sent(List<Duration> latencies);

  /** Events DataStorage refused for good, moved to the dead-letter file. */
  void deadLettered(int events);

  /** A delivery attempt that will be retried (DataStorage down, slow or refusing the token). */
  void deliveryFailed();

  /** A telemetry that records nothing. */
  static AuditTelemetry none() {
    return new AuditTelemetry() {
      @Override
      public void spooled(int events) {}

      @Override
      public void dropped(int events) {}

      @Override
      public void sent(List<Duration> latencies) {}

      @Override
      public void deadLettered(int events) {}

      @Override
      public void deliveryFailed() {}
    };
  }
}
