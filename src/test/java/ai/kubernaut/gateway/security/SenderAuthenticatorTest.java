package ai.kubernaut.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
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

  static class CountingReviews implements AccessReviews {
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

  @Test
  void concurrentFirstRequestsWithOneTokenShareOneReview() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountingReviews blocking =
        new CountingReviews() {
          @Override
          public Optional<Sender> authenticate(String token) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.authenticate(token);
          }
        };
    SenderAuthenticator shared =
        new SenderAuthenticator(blocking, Duration.ofSeconds(60), Duration.ofSeconds(10), 3, clock);
    List<FutureTask<AuthDecision>> requests = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      FutureTask<AuthDecision> request = new FutureTask<>(() -> shared.decide("good-token"));
      requests.add(request);
      threads.add(Thread.ofPlatform().daemon().start(request));
    }

    // One thread waits in the review, the other seven wait for its result.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                threads.stream()
                    .allMatch(
                        t ->
                            t.getState() == Thread.State.WAITING
                                || t.getState() == Thread.State.TIMED_WAITING));
    release.countDown();

    for (FutureTask<AuthDecision> request : requests) {
      assertThat(request.get(30, TimeUnit.SECONDS)).isInstanceOf(AuthDecision.Allowed.class);
    }
    assertThat(blocking.tokenReviews).hasValue(1);
    assertThat(blocking.accessReviews).hasValue(1);
  }

  @Test
  void aTokenNoApiServerWouldAcceptIsRefusedWithoutAReview() {
    assertThat(authenticator.decide("good" + "x".repeat(BearerTokens.MAX_LENGTH)))
        .isInstanceOf(AuthDecision.Unauthenticated.class);
    assertThat(authenticator.decide("good token with spaces"))
        .isInstanceOf(AuthDecision.Unauthenticated.class);
    assertThat(authenticator.decide("good\u00e9")).isInstanceOf(AuthDecision.Unauthenticated.class);
    assertThat(reviews.tokenReviews).hasValue(0);

    assertThat(authenticator.decide("good-" + "a".repeat(2000)))
        .isInstanceOf(AuthDecision.Allowed.class);
    assertThat(authenticator.decide("good.eyJ4IjoxfQ.c2ln"))
        .isInstanceOf(AuthDecision.Allowed.class);
  }

  @Test
  void aFloodOfRefusedTokensCannotEvictAnApprovedSender() {
    authenticator.decide("good-alertmanager");
    for (int i = 0; i < 100; i++) {
      authenticator.decide("bad-" + i);
    }
    int reviewsBefore = reviews.tokenReviews.get();

    assertThat(authenticator.decide("good-alertmanager")).isInstanceOf(AuthDecision.Allowed.class);
    assertThat(reviews.tokenReviews).hasValue(reviewsBefore);
    assertThat(authenticator.cachedApprovals()).isEqualTo(1);
  }

  @Test
  void reviewsOfUndecidedTokensAreRateLimitedWhileDecidedOnesAreStillAnswered() {
    SenderAuthenticator limited =
        new SenderAuthenticator(
            reviews,
            new SenderAuthenticator.Policy(
                Duration.ofSeconds(60), Duration.ofSeconds(10), 100, Duration.ofSeconds(5), 2),
            clock);
    assertThat(limited.decide("good-1")).isInstanceOf(AuthDecision.Allowed.class);
    for (int i = 0; i < 3; i++) {
      assertThat(limited.decide("junk-" + i)).isInstanceOf(AuthDecision.Unauthenticated.class);
    }

    assertThat(limited.decide("junk-more")).isEqualTo(new AuthDecision.Throttled("unverified"));
    assertThat(limited.decide("good-1")).isInstanceOf(AuthDecision.Allowed.class);
    assertThat(reviews.tokenReviews).hasValue(4);

    clock.now = clock.now.plusSeconds(1);
    assertThat(limited.decide("junk-more")).isInstanceOf(AuthDecision.Unauthenticated.class);
  }

  @Test
  void anApprovedSendersReReviewDoesNotWaitBehindAFloodOfUnknownTokens() {
    SenderAuthenticator limited =
        new SenderAuthenticator(
            reviews,
            new SenderAuthenticator.Policy(
                Duration.ofSeconds(60), Duration.ofSeconds(10), 100, Duration.ofSeconds(5), 2),
            clock);
    assertThat(limited.decide("good-1")).isInstanceOf(AuthDecision.Allowed.class);
    clock.now = clock.now.plusSeconds(60);
    for (int i = 0; i < 200; i++) {
      limited.decide("junk-" + i);
    }

    assertThat(limited.decide("good-1")).isInstanceOf(AuthDecision.Allowed.class);
  }

  @Test
  void aWaiterGivesUpAtItsOwnDeadlineWhileTheReviewHangs() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountingReviews hanging =
        new CountingReviews() {
          @Override
          public Optional<Sender> authenticate(String token) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.authenticate(token);
          }
        };
    SenderAuthenticator shared =
        new SenderAuthenticator(
            hanging,
            new SenderAuthenticator.Policy(
                Duration.ofSeconds(60), Duration.ofSeconds(10), 3, Duration.ofMillis(200), 0),
            clock);
    FutureTask<AuthDecision> leader = new FutureTask<>(() -> shared.decide("good-token"));
    Thread.ofPlatform().daemon().start(leader);
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(shared.decide("good-token"))
        .isEqualTo(new AuthDecision.Unavailable("authentication"));
    release.countDown();
    assertThat(leader.get(30, TimeUnit.SECONDS)).isInstanceOf(AuthDecision.Allowed.class);
  }

  @Test
  void anUnexpectedReviewFailureIsUnavailableForEveryoneWaitingAndNotCached() {
    CountingReviews broken =
        new CountingReviews() {
          @Override
          public Optional<Sender> authenticate(String token) {
            super.authenticate(token);
            throw new NullPointerException("a field the review did not carry");
          }
        };
    SenderAuthenticator failing =
        new SenderAuthenticator(broken, Duration.ofSeconds(60), Duration.ofSeconds(10), 3, clock);

    assertThat(failing.decide("good-1")).isEqualTo(new AuthDecision.Unavailable("authentication"));
    assertThat(failing.decide("good-1")).isEqualTo(new AuthDecision.Unavailable("authentication"));
    assertThat(broken.tokenReviews).hasValue(2);
  }

  @Test
  void anApprovalIsNotKeptPastTheTokensOwnExpiry() {
    String claims =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("{\"exp\":" + clock.now.plusSeconds(20).getEpochSecond() + "}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // the fake reviewer approves tokens starting with "good"; the claims are the middle part
    String token = "goodeyJhbGciOiJSUzI1NiJ9." + claims + ".c2ln";
    assertThat(authenticator.decide(token)).isInstanceOf(AuthDecision.Allowed.class);
    clock.now = clock.now.plusSeconds(19);
    authenticator.decide(token);
    assertThat(reviews.tokenReviews).hasValue(1);

    clock.now = clock.now.plusSeconds(1);
    authenticator.decide(token);
    assertThat(reviews.tokenReviews).hasValue(2);
  }

  @Test
  void aReplacedTokenOfAKnownSenderIsReviewedWhileJunkHasUsedUpTheBudget() {
    SenderAuthenticator limited =
        new SenderAuthenticator(
            reviews,
            new SenderAuthenticator.Policy(
                Duration.ofSeconds(60), Duration.ofSeconds(10), 1000, Duration.ofSeconds(5), 1),
            clock);
    // the fake reviewer names the sender by the token's first four characters: "good"
    assertThat(limited.decide(jwt("good-first", "good"))).isInstanceOf(AuthDecision.Allowed.class);
    for (int i = 0; i < 10; i++) {
      limited.decide("junk-" + i);
    }
    assertThat(limited.decide("junk-more"))
        .as("the junk has used up the budget")
        .isEqualTo(new AuthDecision.Throttled("unverified"));

    AuthDecision replaced = limited.decide(jwt("good-replaced", "good"));

    assertThat(replaced).isInstanceOf(AuthDecision.Allowed.class);
    assertThat(limited.decide(jwt("junk-with-a-made-up-subject", "stranger")))
        .isEqualTo(new AuthDecision.Throttled("unverified"));
  }

  /** A token the fake reviewer names by its prefix, carrying {@code sub} in JWT claims. */
  private static String jwt(String prefix, String subject) {
    String claims =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("{\"sub\":\"" + subject + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return prefix + "." + claims + ".c2ln";
  }

  @Test
  void afterARestartATokenTheIssuerSignedIsReviewedWhileJunkHasUsedUpTheBudget() {
    IssuerKeyPair issuer = IssuerKeyPair.rsa("k1");
    String signed =
        issuer.token("system:serviceaccount:monitoring:alertmanager", clock.now.plusSeconds(3600));
    CountingReviews approvesSigned =
        new CountingReviews() {
          @Override
          public Optional<Sender> authenticate(String token) {
            tokenReviews.incrementAndGet();
            return token.equals(signed)
                ? Optional.of(new Sender("good", "", List.of(), Map.of()))
                : Optional.empty();
          }
        };
    SenderAuthenticator restarted =
        new SenderAuthenticator(
            approvesSigned,
            new SenderAuthenticator.Policy(
                Duration.ofSeconds(60), Duration.ofSeconds(10), 1000, Duration.ofSeconds(5), 1),
            new IssuerKeys(
                () -> new IssuerKeys.Documents(IssuerKeyPair.ISSUER, IssuerKeyPair.jwks(issuer)),
                clock,
                Duration.ofSeconds(30)),
            clock);
    for (int i = 0; i < 10; i++) {
      restarted.decide("junk-" + i);
    }
    assertThat(restarted.decide(IssuerKeyPair.rsa("k1").token("forged", clock.now.plusSeconds(60))))
        .as("junk, even shaped like a signed token, has used up its budget")
        .isEqualTo(new AuthDecision.Throttled("unverified"));

    assertThat(restarted.decide(signed)).isInstanceOf(AuthDecision.Allowed.class);
  }
}
