package ai.kubernaut.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * HTTP/1.1 keep-alive load generator: open loop at a fixed rate (latency from the scheduled send
 * time, so a stalled server is not hidden by coordinated omission) or closed loop with C
 * connections at the maximum rate. Both are bounded by a duration and a request count.
 */
final class Load {

  /** One signal to send and what to do with its answer. */
  interface Signal {
    /** The request for the n-th signal, sent to {@code base}. */
    HttpRequest request(long n, URI base);

    /** Called with every answer (status and body). */
    default void answered(long n, int status, String body) {}
  }

  /** Generates the n-th signal. */
  interface Generator {
    Signal next(long n);
  }

  /** What a run measured. */
  record Result(
      long sent,
      long completed,
      double seconds,
      Histogram latencyMicros,
      Map<String, Long> byStatus) {

    double rate() {
      return completed / seconds;
    }

    long errors() {
      return byStatus.entrySet().stream()
          .filter(e -> !e.getKey().startsWith("2"))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    String statuses() {
      StringBuilder sb = new StringBuilder();
      new TreeMap<>(byStatus)
          .forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append(":").append(v));
      return sb.toString();
    }

    String errorsByStatus() {
      StringBuilder sb = new StringBuilder();
      new TreeMap<>(byStatus)
          .forEach(
              (k, v) -> {
                if (!k.startsWith("2")) {
                  sb.append(sb.isEmpty() ? "" : " ").append(k).append(":").append(v);
                }
              });
      return sb.isEmpty() ? "0" : sb.toString();
    }
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** One unit of closed-loop work: does the n-th and returns what it ended in (a status). */
  interface Task {
    String run(long n) throws Exception;
  }

  /** Closed loop: {@code connections} workers, each sending its next request when answered. */
  static Result closedLoop(
      List<URI> targets, int connections, Duration duration, long maxRequests, Generator gen)
      throws InterruptedException {
    // one client per worker: one keep-alive connection each
    ThreadLocal<HttpClient> clients = ThreadLocal.withInitial(Load::newClient);
    return closedLoop(
        connections,
        duration,
        maxRequests,
        n -> {
          Signal s = gen.next(n);
          HttpResponse<String> r =
              clients
                  .get()
                  .send(
                      s.request(n, targets.get((int) (n % targets.size()))),
                      HttpResponse.BodyHandlers.ofString());
          s.answered(n, r.statusCode(), r.body());
          return Integer.toString(r.statusCode());
        });
  }

  /**
   * Closed loop over any task (the Go-protocol baseline client runs in this JVM): {@code workers}
   * threads, each starting its next task when the last one ended; a task's exception counts under
   * its class name.
   */
  static Result closedLoop(int workers, Duration duration, long maxTasks, Task task)
      throws InterruptedException {
    ConcurrentHistogram histogram = new ConcurrentHistogram(3);
    Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    AtomicLong counter = new AtomicLong();
    LongAdder completed = new LongAdder();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    CountDownLatch done = new CountDownLatch(workers);
    for (int c = 0; c < workers; c++) {
      Thread.ofPlatform()
          .daemon()
          .name("load-" + c)
          .start(
              () -> {
                try {
                  while (System.nanoTime() < deadline) {
                    long n = counter.getAndIncrement();
                    if (n >= maxTasks) {
                      break;
                    }
                    long t0 = System.nanoTime();
                    String key;
                    try {
                      key = task.run(n);
                    } catch (Exception e) {
                      key = e.getClass().getSimpleName();
                    }
                    histogram.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
                    completed.increment();
                  }
                } finally {
                  done.countDown();
                }
              });
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(
        Math.min(counter.get(), maxTasks), completed.sum(), seconds, histogram, snapshot(statuses));
  }

  /**
   * Open loop: request n is due at start + n/rate and is queued then; {@code connections}
   * keep-alive connections send the queue in order (as wrk2 does). Latency is measured from the due
   * time, so queueing behind a slow server counts (no coordinated omission). Requests still queued
   * 30 s after the last one fell due are counted as "backlog" and not sent.
   */
  static Result openLoop(
      List<URI> targets, double rate, Duration duration, long maxRequests, Generator gen)
      throws InterruptedException {
    return openLoop(targets, rate, duration, maxRequests, 64, gen);
  }

  static Result openLoop(
      List<URI> targets,
      double rate,
      Duration duration,
      long maxRequests,
      int connections,
      Generator gen)
      throws InterruptedException {
    ConcurrentHistogram histogram = new ConcurrentHistogram(3);
    Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    LongAdder completed = new LongAdder();
    long total = Math.min(maxRequests, (long) (rate * duration.toMillis() / 1000.0));
    double interval = 1e9 / rate;
    long start = System.nanoTime();
    long giveUp = start + duration.toNanos() + TimeUnit.SECONDS.toNanos(30);
    java.util.concurrent.LinkedBlockingQueue<long[]> queue =
        new java.util.concurrent.LinkedBlockingQueue<>();
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      HttpClient client = newClient();
      Thread.ofPlatform()
          .daemon()
          .name("open-" + c)
          .start(
              () -> {
                try {
                  while (true) {
                    long[] item = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (item == null) {
                      continue;
                    }
                    if (item[0] < 0) {
                      break;
                    }
                    long n = item[0];
                    long due = item[1];
                    String key;
                    if (System.nanoTime() > giveUp) {
                      key = "backlog";
                    } else {
                      Signal s = gen.next(n);
                      try {
                        HttpResponse<String> r =
                            client.send(
                                s.request(n, targets.get((int) (n % targets.size()))),
                                HttpResponse.BodyHandlers.ofString());
                        key = Integer.toString(r.statusCode());
                        s.answered(n, r.statusCode(), r.body());
                      } catch (Exception e) {
                        key = e.getClass().getSimpleName();
                      }
                      histogram.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                      completed.increment();
                    }
                    statuses.computeIfAbsent(key, k -> new LongAdder()).increment();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              });
    }
    for (long n = 0; n < total; n++) {
      long due = start + (long) (n * interval);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      queue.add(new long[] {n, due});
    }
    for (int c = 0; c < connections; c++) {
      queue.add(new long[] {-1, 0});
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(total, completed.sum(), seconds, histogram, snapshot(statuses));
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> statuses) {
    Map<String, Long> out = new TreeMap<>();
    statuses.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private Load() {}
}
