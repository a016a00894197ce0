package ai.kubernaut.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a bearer token may send signals: a TokenReview, then a SubjectAccessReview.
 * Decisions are cached under the token's SHA-256 (the token itself is never kept), allowed ones for
 * {@code ttl} and refusals for {@code negativeTtl}; an unavailable API is never cached. Concurrent
 * first requests with the same token share one review instead of each sending their own.
 */
public final class SenderAuthenticator {

  private final AccessReviews reviews;
  private final ExpiringCache<AuthDecision> cache;
  private final Map<String, CompletableFuture<AuthDecision>> inFlight = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Duration negativeTtl;

  public SenderAuthenticator(
      AccessReviews reviews, Duration ttl, Duration negativeTtl, int cacheSize, Clock clock) {
    this.reviews = reviews;
    this.cache = new ExpiringCache<>(cacheSize, clock);
    this.ttl = ttl;
    this.negativeTtl = negativeTtl;
  }

  public AuthDecision decide(String token) {
    String key = digest(token);
    Optional<AuthDecision> cached = cache.find(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    CompletableFuture<AuthDecision> mine = new CompletableFuture<>();
    CompletableFuture<AuthDecision> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running.join();
    }
    try {
      AuthDecision decision = reviewUnlessJustCached(key, token);
      mine.complete(decision);
      return decision;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private AuthDecision reviewUnlessJustCached(String key, String token) {
    // Another request may have finished the review between our cache miss and taking the slot.
    Optional<AuthDecision> cached = cache.find(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    AuthDecision decision = review(token);
    switch (decision) {
      case AuthDecision.Allowed a -> cache.put(key, a, ttl);
      case AuthDecision.Unavailable u -> {}
      default -> cache.put(key, decision, negativeTtl);
    }
    return decision;
  }

  int cachedDecisions() {
    return cache.size();
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
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
