package ai.kubernaut.gateway.kube;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Concurrent loads of one key share a single call: a burst of signals about one object costs one
 * API request. Nothing is remembered once the call has answered, so the next load asks again, and a
 * call that fails fails every caller that shared it.
 */
final class SharedLoads<K, V> {

  private final Map<K, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong shared = new AtomicLong();

  /** The loader's answer for {@code key}, shared with callers asking while it runs. */
  V get(K key, Function<K, V> loader) {
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      shared.incrementAndGet();
      return join(running);
    }
    try {
      V value = loader.apply(key);
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /** How many callers have waited for another caller's load. */
  long shared() {
    return shared.get();
  }

  private static <V> V join(CompletableFuture<V> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
