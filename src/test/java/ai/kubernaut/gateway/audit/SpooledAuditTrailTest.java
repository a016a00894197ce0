package ai.kubernaut.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.audit.spool.FaultyFiles;
import ai.kubernaut.gateway.audit.spool.Spool;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.signal.AuditNotRecordedException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a request learns from the spooled audit trail when the spool's disk fails. */
class SpooledAuditTrailTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final AtomicInteger dropped = new AtomicInteger();

  @Test
  void inDropModeTheRequestThatHitADiskErrorFailsAndLaterOnesAreDroppedAndCounted()
      throws IOException {
    FaultyFiles files = new FaultyFiles();
    try (Spool spool = Spool.open(dir, 1024 * 1024, Clock.systemUTC(), files)) {
      SpooledAuditTrail trail = trail(spool, GatewayConfig.OnFull.DROP);
      files.failNextForce();

      assertThatThrownBy(() -> trail.record(SampleEvents.repeat(1), SampleEvents.context()))
          .as("its events may not be on disk: the sender must retry")
          .isInstanceOf(AuditNotRecordedException.class);
      assertThat(files.injected()).isEqualTo(1);
      assertThat(dropped.get()).isZero();

      trail.record(SampleEvents.repeat(2), SampleEvents.context());
      assertThat(dropped.get()).isEqualTo(1);
      assertThat(trail.refusal()).isEmpty();
    }
  }

  @Test
  void inRejectModeADiskErrorFailsTheRequestAndRefusesNewSignals() throws IOException {
    FaultyFiles files = new FaultyFiles();
    try (Spool spool = Spool.open(dir, 1024 * 1024, Clock.systemUTC(), files)) {
      SpooledAuditTrail trail = trail(spool, GatewayConfig.OnFull.REJECT);
      files.failNextWrite();

      assertThatThrownBy(() -> trail.record(SampleEvents.repeat(1), SampleEvents.context()))
          .isInstanceOf(AuditNotRecordedException.class);
      assertThat(files.injected()).isEqualTo(1);
      assertThat(trail.refusal()).hasValueSatisfying(r -> assertThat(r).contains("disk error"));
    }
  }

  private SpooledAuditTrail trail(Spool spool, GatewayConfig.OnFull onFull) {
    return new SpooledAuditTrail(
        spool,
        new AuditEventFactory(JSON, Clock.systemUTC()),
        JSON,
        onFull,
        new AuditTelemetry() {
          @Override
          public void spooled(int events) {}

          @Override
          public void dropped(int events) {
            dropped.addAndGet(events);
          }

          @Override
          public void sent(List<Duration> latencies) {}

          @Override
          public void deadLettered(int events) {}

          @Override
          public void deliveryFailed() {}
        });
  }
}
