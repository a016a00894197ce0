package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Reading the API server's clock from its answers and a claim's write time from its Lease. */
class ApiServerTimeTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final ApiServerTime serverTime = new ApiServerTime(nanos::get);

  @Test
  void knowsNothingUntilAnAnswerCarriedADate() {
    serverTime.observe(null);
    serverTime.observe("yesterday");

    assertThat(serverTime.atLeastNow()).isEmpty();
  }

  @Test
  void theServersTimeGoesOnFromTheDateByThisProcesssMonotonicClock() {
    serverTime.observe("Sun, 06 Dec 2026 08:00:00 GMT");
    nanos.addAndGet(Duration.ofMillis(2_500).toNanos());

    assertThat(serverTime.atLeastNow()).contains(Instant.parse("2026-12-06T08:00:02.500Z"));
  }

  @Test
  void theSameSecondReceivedAgainKeepsItsFirstReceipt() {
    serverTime.observe("Sun, 06 Dec 2026 08:00:00 GMT");
    nanos.addAndGet(Duration.ofMillis(900).toNanos());
    serverTime.observe("Sun, 06 Dec 2026 08:00:00 GMT");

    assertThat(serverTime.atLeastNow()).contains(Instant.parse("2026-12-06T08:00:00.900Z"));
  }

  @Test
  void theLatestAnswerCountsEvenWhenItsClockIsBehind() {
    serverTime.observe("Sun, 06 Dec 2026 08:00:10 GMT");
    serverTime.observe("Sun, 06 Dec 2026 08:00:00 GMT");

    assertThat(serverTime.atLeastNow()).contains(Instant.parse("2026-12-06T08:00:00Z"));
  }

  @Test
  void aLeasesWriteTimeIsTheLatestOfItsManagedFieldsTimes() {
    Lease lease = new Lease();
    lease.setMetadata(
        new ObjectMetaBuilder()
            .addToManagedFields(
                new ManagedFieldsEntryBuilder().withTime("2026-12-06T08:00:05Z").build(),
                new ManagedFieldsEntryBuilder().withTime("2026-12-06T07:59:00Z").build(),
                new ManagedFieldsEntryBuilder().withTime("not a time").build(),
                new ManagedFieldsEntryBuilder().build())
            .build());

    assertThat(IncidentClaims.writtenAt(lease)).contains(Instant.parse("2026-12-06T08:00:05Z"));
  }

  @Test
  void aLeaseWithoutManagedFieldsTellsNoWriteTime() {
    Lease lease = new Lease();
    lease.setMetadata(new ObjectMetaBuilder().build());

    assertThat(IncidentClaims.writtenAt(lease)).isEmpty();
  }
}
