package ai.kubernaut.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which workloads have an active incident, and a simulated remediation orchestrator that ends
 * incidents so that new ones can open.
 *
 * <p>Choice: the orchestrator ends one incident (the oldest active one, JSON merge patch of {@code
 * status.overallPhase=Completed} on the status subresource, tagged so the API server does not count
 * it against the gateway) for every incident the gateway opens, so the number of active incidents
 * stays constant and a pool of ended workloads is always available for "new" signals. Pre-creating
 * terminal RemediationRequests instead would not work past the first pass: once a workload's new
 * incident is open, a second "new" signal for it would be a duplicate.
 */
final class Incidents {

  static final int ACTIVE = 0;
  static final int ENDING = 1;
  static final int ENDED = 2;
  static final int PENDING_NEW = 3;

  private record Open(int workload, String name) {}

  private final int workloads;
  private final AtomicIntegerArray state;
  private final ConcurrentLinkedQueue<Open> active = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Integer> ended = new ConcurrentLinkedQueue<>();
  private final LinkedBlockingQueue<Boolean> toEnd = new LinkedBlockingQueue<>();
  private final HttpClient http = Load.newClient();
  private final URI api;
  final LongAdder created = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder starvedNew = new LongAdder();
  final LongAdder endFailures = new LongAdder();
  private volatile boolean orchestrating;

  Incidents(int workloads, URI api) {
    this.workloads = workloads;
    this.state = new AtomicIntegerArray(workloads);
    for (int i = 0; i < workloads; i++) {
      state.set(i, ENDED);
    }
    this.api = api;
  }

  /** Starts the orchestrator thread: one incident ended per incident opened. */
  void startOrchestrator() {
    orchestrating = true;
    Thread.ofPlatform()
        .daemon()
        .name("orchestrator")
        .start(
            () -> {
              try {
                while (true) {
                  toEnd.take();
                  endOldest();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  void stopOrchestrator() {
    orchestrating = false;
  }

  /** Ends {@code n} of the oldest active incidents now. */
  void endOldest(int n) {
    for (int i = 0; i < n; i++) {
      endOldest();
    }
  }

  private void endOldest() {
    Open open = active.poll();
    if (open == null) {
      return;
    }
    if (!state.compareAndSet(open.workload(), ACTIVE, ENDING)) {
      return;
    }
    try {
      HttpRequest patch =
          HttpRequest.newBuilder(
                  api.resolve(
                      "/apis/kubernaut.ai/v1alpha1/namespaces/"
                          + BenchCluster.CONTROLLER_NS
                          + "/remediationrequests/"
                          + open.name()
                          + "/status"))
              .header("Content-Type", "application/merge-patch+json")
              .header(ApiCounts.ORIGIN_HEADER, "orchestrator")
              .method(
                  "PATCH",
                  HttpRequest.BodyPublishers.ofString(
                      "{\"status\":{\"overallPhase\":\"Completed\"}}"))
              .build();
      HttpResponse<String> r = http.send(patch, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        state.set(open.workload(), ENDED);
        ended.add(open.workload());
      } else {
        endFailures.increment();
        state.set(open.workload(), ACTIVE);
      }
    } catch (Exception e) {
      endFailures.increment();
      state.set(open.workload(), ACTIVE);
    }
  }

  /** A workload for a signal that should open a new incident (or a duplicate if none is free). */
  int pick(boolean wantNew) {
    if (wantNew) {
      Integer w = ended.poll();
      if (w != null) {
        state.set(w, PENDING_NEW);
        return w;
      }
      starvedNew.increment();
    }
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int tries = 0; tries < 20; tries++) {
      int w = rnd.nextInt(workloads);
      if (state.get(w) == ACTIVE) {
        return w;
      }
    }
    return rnd.nextInt(workloads);
  }

  /** Records the gateway's answer for a signal about {@code workload}. */
  void answered(int workload, int status, String body) {
    if (status == 201) {
      created.increment();
      String name = field(body, "remediationRequestName");
      state.set(workload, ACTIVE);
      if (name != null) {
        active.add(new Open(workload, name));
      }
      if (orchestrating) {
        toEnd.add(Boolean.TRUE);
      }
    } else if (status == 202) {
      duplicates.increment();
      state.compareAndSet(workload, PENDING_NEW, ACTIVE);
    }
  }

  static String field(String json, String name) {
    String key = "\"" + name + "\":\"";
    int i = json.indexOf(key);
    if (i < 0) {
      return null;
    }
    int start = i + key.length();
    int end = json.indexOf('"', start);
    return end < 0 ? null : json.substring(start, end);
  }
}
