package ai.kubernaut.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SenderAuthenticatorTest {

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-21T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  static final class CountingReviews implements AccessReviews {
    final AtomicInteger tokenReviews = new AtomicInteger();
    final AtomicInteger accessReviews = new AtomicInteger();
    volatile boolean down;

    @Override
    public Optional<Sender> authenticate(String token) {
      tokenReviews.incrementAndGet();
      if (down) {
        throw new UnavailableException("down", null);
      }
      return token.startsWith("good") || token.startsWith("weak")
          ? Optional.of(new Sender(token.substring(0, 4), "", List.of(), Map.of()))
          : Optional.empty();
    }

    @Override
    public boolean authorize(Sender sender) {
      accessReviews.incrementAndGet();
      return sender.username().equals("good");
    }
  }

  final MutableClock clock = new MutableClock();
  final CountingReviews reviews = new CountingReviews();
  final SenderAuthenticator authenticator =
      new SenderAuthenticator(reviews, Duration.ofSeconds(60), Duration.ofSeconds(10), 3, clock);

  @Test
  void allowedDecisionsLastSixtySeconds() {
    assertThat(authenticator.decide("good-1")).isInstanceOf(AuthDecision.Allowed.class);
    clock.now = clock.now.plusSeconds(59);
    assertThat(authenticator.decide("good-1")).isInstanceOf(AuthDecision.Allowed.class);
    assertThat(reviews.tokenReviews).hasValue(1);

    clock.now = clock.now.plusSeconds(1);
    authenticator.decide("good-1");
    assertThat(reviews.tokenReviews).hasValue(2);
  }

  @Test
  void refusalsLastTenSeconds() {
    assertThat(authenticator.decide("bad")).isInstanceOf(AuthDecision.Unauthenticated.class);
    assertThat(authenticator.decide("weak")).isInstanceOf(AuthDecision.Denied.class);
    clock.now = clock.now.plusSeconds(9);
    authenticator.decide("bad");
    authenticator.decide("weak");
    assertThat(reviews.tokenReviews).hasValue(2);

    clock.now = clock.now.plusSeconds(1);
    authenticator.decide("bad");
    assertThat(reviews.tokenReviews).hasValue(3);
  }

  @Test
  void outagesAreNotCached() {
    reviews.down = true;
    assertThat(authenticator.decide("good-1"))
        .isEqualTo(new AuthDecision.Unavailable("authentication"));
    reviews.down = false;
    assertThat(authenticator.decide("good-1")).isInstanceOf(AuthDecision.Allowed.class);
  }

  @Test
  void theCacheIsBoundedAndKeyedByDigest() {
    for (int i = 0; i < 50; i++) {
      authenticator.decide("good-" + i);
    }
    assertThat(authenticator.cachedDecisions()).isLessThanOrEqualTo(3);
    assertThat(SenderAuthenticator.digest("good-1")).hasSize(64).doesNotContain("good");
  }
}
