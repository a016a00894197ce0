package ai.kubernaut.gateway.security;

import ai.kubernaut.gateway.signal.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a bearer token may send signals: a TokenReview, then a SubjectAccessReview.
 *
 * <p>Decisions are cached under the token's SHA-256 (the token itself is never kept). Approvals
 * live in their own cache, for {@code ttl} but never past the token's own expiry, so a flood of
 * refused tokens cannot evict them; refusals are cached for {@code negativeTtl}; an unavailable API
 * is never cached. A token whose form no API server would accept is refused without a review, and
 * reviews of tokens not decided recently are rate-limited: past the budget the sender is asked to
 * retry (503), so a flood of junk tokens costs the API server a bounded number of reviews. A token
 * approved within the last ten approval lifetimes is reviewed again without spending from the
 * budget, so a flood cannot turn an established sender's routine re-review into a 503. A token the
 * cluster's issuer signed (checked locally against its published keys) waits in a budget of its own
 * that unsigned junk cannot drain, so real senders get through a flood even right after a restart;
 * the review still decides.
 *
 * <p>Concurrent first requests with the same token share one review; those waiting give up after
 * {@code reviewWait}. A review failing in an unexpected way is that sender's 503, never an error
 * for everyone waiting on it.
 */
public final class SenderAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(SenderAuthenticator.class);

  /**
   * How decisions are cached and reviews bounded.
   *
   * @param reviewWait how long a request waits for a review another request started
   * @param reviewsPerSecond reviews of undecided tokens a second; zero for no limit
   */
  public record Policy(
      Duration ttl,
      Duration negativeTtl,
      int cacheSize,
      Duration reviewWait,
      int reviewsPerSecond) {}

  private final AccessReviews reviews;
  private final ExpiringCache<AuthDecision> approved;
  private final ExpiringCache<AuthDecision> refused;
  private final ExpiringCache<Boolean> recentlyApproved;
  private final ExpiringCache<Boolean> recentSubjects;
  private final ReviewBudget knownSubjectBudget;
  private final ReviewBudget signedBudget;
  private final TokenSignatures signatures;

  /** How long an approved user counts as known: longer than a projected token's lifetime. */
  private static final Duration RECENT_SUBJECT = Duration.ofHours(2);

  private final Map<String, CompletableFuture<AuthDecision>> inFlight = new ConcurrentHashMap<>();
  private final Policy policy;
  private final ReviewBudget budget;
  private final Clock clock;

  public SenderAuthenticator(AccessReviews reviews, Policy policy, Clock clock) {
    this(reviews, policy, TokenSignatures.NONE, clock);
  }

  /** Also gives tokens {@code signatures} recognises a review budget of their own. */
  public SenderAuthenticator(
      AccessReviews reviews, Policy policy, TokenSignatures signatures, Clock clock) {
    this.reviews = reviews;
    this.signatures = signatures;
    this.signedBudget = new ReviewBudget(policy.reviewsPerSecond(), clock);
    this.approved = new ExpiringCache<>(policy.cacheSize(), clock);
    this.refused = new ExpiringCache<>(policy.cacheSize(), clock);
    this.recentlyApproved = new ExpiringCache<>(policy.cacheSize(), clock);
    this.recentSubjects = new ExpiringCache<>(policy.cacheSize(), clock);
    this.policy = policy;
    this.budget = new ReviewBudget(policy.reviewsPerSecond(), clock);
    this.knownSubjectBudget = new ReviewBudget(policy.reviewsPerSecond(), clock);
    this.clock = clock;
  }

  /** No review rate limit, and waiters wait up to 30 s. */
  public SenderAuthenticator(
      AccessReviews reviews, Duration ttl, Duration negativeTtl, int cacheSize, Clock clock) {
    this(reviews, new Policy(ttl, negativeTtl, cacheSize, Duration.ofSeconds(30), 0), clock);
  }

  public AuthDecision decide(String token) {
    if (!BearerTokens.plausible(token)) {
      return new AuthDecision.Unauthenticated();
    }
    String key = digest(token);
    Optional<AuthDecision> cached = cached(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    CompletableFuture<AuthDecision> mine = new CompletableFuture<>();
    CompletableFuture<AuthDecision> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return waitFor(running);
    }
    AuthDecision decision = new AuthDecision.Unavailable("authentication");
    try {
      decision = reviewUnlessJustCached(key, token);
    } catch (RuntimeException e) {
      log.error("reviewing a bearer token failed unexpectedly", e);
    } finally {
      inFlight.remove(key, mine);
      mine.complete(decision);
    }
    return decision;
  }

  private Optional<AuthDecision> cached(String key) {
    Optional<AuthDecision> allowed = approved.find(key);
    return allowed.isPresent() ? allowed : refused.find(key);
  }

  private AuthDecision waitFor(CompletableFuture<AuthDecision> running) {
    try {
      return running.get(policy.reviewWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return new AuthDecision.Unavailable("authentication");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new AuthDecision.Unavailable("authentication");
    }
  }

  private AuthDecision reviewUnlessJustCached(String key, String token) {
    // Another request may have finished the review between our cache miss and taking the slot.
    Optional<AuthDecision> cached = cached(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    // A sender approved recently is reviewed again when its approval expires, flood or not. A new
    // token whose (unverified) subject was approved recently, as a projected token replaced on
    // schedule or after a restart, waits in a budget of its own that junk without a known subject
    // cannot drain.
    if (recentlyApproved.find(key).isEmpty()) {
      String chosen;
      ReviewBudget from;
      if (signatures.signedAndUnexpired(token)) {
        chosen = "signed";
        from = signedBudget;
      } else if (BearerTokens.subject(token).flatMap(recentSubjects::find).isPresent()) {
        chosen = "known_subject";
        from = knownSubjectBudget;
      } else {
        chosen = "unverified";
        from = budget;
      }
      if (!from.tryTake()) {
        return new AuthDecision.Throttled(chosen);
      }
    }
    AuthDecision decision = review(token);
    switch (decision) {
      case AuthDecision.Allowed a -> {
        Duration lifetime = approvalLifetime(token);
        approved.put(key, a, lifetime);
        if (lifetime.equals(policy.ttl())) {
          recentlyApproved.put(key, Boolean.TRUE, policy.ttl().multipliedBy(10));
        }
        recentSubjects.put(a.sender().username(), Boolean.TRUE, RECENT_SUBJECT);
      }
      case AuthDecision.Unavailable u -> {}
      case AuthDecision.Throttled t -> {}
      default -> refused.put(key, decision, policy.negativeTtl());
    }
    return decision;
  }

  /** The approval TTL, cut short by the token's own expiry when it states one. */
  private Duration approvalLifetime(String token) {
    Duration ttl = policy.ttl();
    Optional<Instant> expiry = BearerTokens.expiry(token);
    if (expiry.isPresent()) {
      Duration left = Duration.between(clock.instant(), expiry.get());
      if (left.compareTo(ttl) < 0) {
        return left.isNegative() ? Duration.ZERO : left;
      }
    }
    return ttl;
  }

  int cachedDecisions() {
    return approved.size() + refused.size();
  }

  int cachedApprovals() {
    return approved.size();
  }

  private AuthDecision review(String token) {
    Optional<Sender> sender;
    try {
      sender = reviews.authenticate(token);
    } catch (AccessReviews.UnavailableException e) {
      return new AuthDecision.Unavailable("authentication");
    }
    if (sender.isEmpty()) {
      return new AuthDecision.Unauthenticated();
    }
    try {
      return reviews.authorize(sender.get())
          ? new AuthDecision.Allowed(sender.get())
          : new AuthDecision.Denied(sender.get().username());
    } catch (AccessReviews.UnavailableException e) {
      return new AuthDecision.Unavailable("authorization");
    }
  }

  /** A token's cache key; also safe to log, as it cannot be turned back into the token. */
  public static String digest(String token) {
    return Sha256.hex(token);
  }
}
