package ai.kubernaut.gateway.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Sits in front of the mock API server: records every request it receives and answers chosen
 * requests with injected faults, either before they reach the in-memory store or after the store
 * has applied them ("applied, then failed": the client sees the fault, the write happened).
 */
public final class FaultDispatcher extends Dispatcher {

  /** One request as the API server saw it, and how it was answered. */
  public record Seen(
      String method, String path, String query, int injectedStatus, boolean applied) {
    public boolean faulted() {
      return injectedStatus != 0;
    }

    /** The store applied the request although the client was answered with a fault. */
    public boolean appliedThenFailed() {
      return faulted() && applied;
    }
  }

  private record Rule(
      Predicate<RecordedRequest> matches,
      int status,
      Duration delay,
      AtomicInteger remaining,
      boolean afterApplying) {}

  /** Random faults on matching requests, reproducible from the seed of {@code random}. */
  private record Chaos(
      Predicate<RecordedRequest> matches,
      double probability,
      int[] statuses,
      Duration slow,
      Random random,
      boolean afterApplying) {}

  private final Dispatcher delegate;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Chaos> chaos = new CopyOnWriteArrayList<>();
  private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final Queue<Seen> arrived = new ConcurrentLinkedQueue<>();
  private volatile Duration watchDelay = Duration.ZERO;

  FaultDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** Answers the next {@code times} matching requests with {@code status}. */
  public void fail(String method, String pathPrefix, int status, int times) {
    rules.add(
        new Rule(
            matching(method, pathPrefix), status, Duration.ZERO, new AtomicInteger(times), false));
  }

  /**
   * Lets the next {@code times} matching requests reach the store and holds their answers back for
   * {@code hold}, long enough for a client to time out on a write that was applied.
   */
  public void holdAnswerAfterApplying(String method, String pathPrefix, Duration hold, int times) {
    rules.add(new Rule(matching(method, pathPrefix), -1, hold, new AtomicInteger(times), true));
  }

  /**
   * Lets the next {@code times} matching requests reach the store, then answers them with {@code
   * status} instead of the store's answer, as a server that committed a write and then failed.
   */
  public void failAfterApplying(String method, String pathPrefix, int status, int times) {
    rules.add(
        new Rule(
            matching(method, pathPrefix), status, Duration.ZERO, new AtomicInteger(times), true));
  }

  /** Answers the next {@code times} requests for exactly {@code path} with {@code status}. */
  public void failExactly(String method, String path, int status, int times) {
    rules.add(
        new Rule(
            r -> r.getMethod().equalsIgnoreCase(method) && pathOf(r).equals(path),
            status,
            Duration.ZERO,
            new AtomicInteger(times),
            false));
  }

  /**
   * Delays the next {@code times} matching requests before handling them normally. The mock serves
   * one request at a time, so this stalls the whole API server, as an overloaded one would.
   */
  public void delay(String method, String pathPrefix, Duration delay, int times) {
    rules.add(new Rule(matching(method, pathPrefix), 0, delay, new AtomicInteger(times), false));
  }

  /**
   * With probability {@code probability}, answers a matching request with one of {@code statuses}
   * (0 means: handle it normally, but hold its answer back for {@code slow} while other requests
   * are served).
   */
  public void chaos(
      String method,
      String pathPrefix,
      double probability,
      int[] statuses,
      Duration slow,
      Random random) {
    chaos.add(
        new Chaos(
            matching(method, pathPrefix), probability, statuses.clone(), slow, random, false));
  }

  /**
   * With probability {@code probability}, lets a matching request reach the store and then answers
   * it with one of {@code statuses} (0 means: answer normally, but only after {@code slow}).
   */
  public void chaosAfterApplying(
      String method,
      String pathPrefix,
      double probability,
      int[] statuses,
      Duration slow,
      Random random) {
    chaos.add(
        new Chaos(matching(method, pathPrefix), probability, statuses.clone(), slow, random, true));
  }

  /** Delays every watch event by {@code delay}, in order, so informers lag behind the store. */
  public void delayWatchEvents(Duration delay) {
    watchDelay = delay;
  }

  public void clearFaults() {
    rules.clear();
    chaos.clear();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public void forgetSeen() {
    seen.clear();
    arrived.clear();
  }

  /** Requests whose method is {@code method} and whose path starts with {@code pathPrefix}. */
  public List<Seen> seen(String method, String pathPrefix) {
    return seen.stream()
        .filter(s -> s.method().equals(method) && s.path().startsWith(pathPrefix))
        .toList();
  }

  /**
   * Requests that have arrived, including those still being delayed, whose method is {@code method}
   * and whose path starts with {@code pathPrefix}.
   */
  public List<Seen> arrived(String method, String pathPrefix) {
    return arrived.stream()
        .filter(s -> s.method().equals(method) && s.path().startsWith(pathPrefix))
        .toList();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    arrived.add(new Seen(request.getMethod(), pathOf(request), queryOf(request), 0, false));
    for (Rule rule : rules) {
      if (rule.matches().test(request) && rule.remaining().getAndDecrement() > 0) {
        if (rule.status() == -1) {
          MockResponse applied = delegate.dispatch(request);
          seen.add(
              new Seen(
                  request.getMethod(),
                  pathOf(request),
                  queryOf(request),
                  0,
                  applied.code() / 100 == 2));
          return applied.setBodyDelay(rule.delay());
        }
        if (rule.status() != 0) {
          return inject(request, rule.status(), rule.afterApplying());
        }
        sleep(rule.delay());
      }
    }
    Duration slowAnswer = Duration.ZERO;
    for (Chaos c : chaos) {
      if (c.matches().test(request)) {
        int status;
        synchronized (c.random()) {
          status =
              c.random().nextDouble() < c.probability()
                  ? c.statuses()[c.random().nextInt(c.statuses().length)]
                  : -1;
        }
        if (status > 0) {
          return inject(request, status, c.afterApplying());
        }
        if (status == 0 && c.slow().compareTo(slowAnswer) > 0) {
          slowAnswer = c.slow();
        }
      }
    }
    seen.add(new Seen(request.getMethod(), pathOf(request), queryOf(request), 0, true));
    MockResponse response = delegate.dispatch(request);
    if (!slowAnswer.isZero()) {
      response.setBodyDelay(slowAnswer);
    }
    Duration delay = watchDelay;
    if (!delay.isZero() && response.getWebSocketListener() != null) {
      return response.withWebSocketUpgrade(
          new DelayedWebSocketListener(response.getWebSocketListener(), delay));
    }
    return response;
  }

  /**
   * Answers {@code status}; after applying means the store handled the request first, and it counts
   * as applied only when the store accepted it.
   */
  private MockResponse inject(RecordedRequest request, int status, boolean afterApplying) {
    boolean applied = afterApplying && delegate.dispatch(request).code() / 100 == 2;
    seen.add(new Seen(request.getMethod(), pathOf(request), queryOf(request), status, applied));
    return failure(status);
  }

  /** An injected answer; a 422 names a spec field, as the API server's schema check does. */
  private static MockResponse failure(int status) {
    String details =
        status == 422
            ? ",\"details\":{\"causes\":[{\"reason\":\"FieldValueInvalid\","
                + "\"field\":\"spec.severity\"}]}"
            : "";
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                + status
                + ",\"reason\":\"Injected\",\"message\":\"injected fault\""
                + details
                + "}");
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  private static Predicate<RecordedRequest> matching(String method, String pathPrefix) {
    return r -> r.getMethod().equalsIgnoreCase(method) && pathOf(r).startsWith(pathPrefix);
  }

  private static String pathOf(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static String queryOf(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    return query < 0 ? "" : path.substring(query + 1);
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
