package ai.kubernaut.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

  @Test
  void anEntryExpiresAfterItsOwnTimeToLive() {
    ExpiringCache<String> cache = new ExpiringCache<>(100, clock);
    cache.put("short", "a", Duration.ofSeconds(10));
    cache.put("long", "b", Duration.ofSeconds(60));

    clock.advance(Duration.ofSeconds(10));

    assertThat(cache.find("short")).isEmpty();
    assertThat(cache.find("long")).contains("b");
  }

  @Test
  void aFloodOfKeysSeenOnceDoesNotPushOutAKeyAskedForAgainAndAgain() {
    ExpiringCache<String> cache = new ExpiringCache<>(100, clock);
    cache.put("sender", "approved", Duration.ofMinutes(10));
    for (int i = 0; i < 20; i++) {
      assertThat(cache.find("sender")).isPresent();
    }

    for (int i = 0; i < 10_000; i++) {
      cache.put("junk-" + i, "refused", Duration.ofMinutes(10));
      if (i % 100 == 0) {
        assertThat(cache.find("sender")).as("after %d junk keys", i).contains("approved");
      }
    }

    assertThat(cache.find("sender")).contains("approved");
    assertThat(cache.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void sizeZeroRemembersNothing() {
    ExpiringCache<String> cache = new ExpiringCache<>(0, clock);
    cache.put("sender", "approved", Duration.ofMinutes(10));

    assertThat(cache.find("sender")).isEmpty();
  }
}
