package ai.kubernaut.gateway.kube;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link IncidentIndex} in step with the RemediationRequests of one namespace: lists them
 * in pages, then watches from the list's version, resuming each watch from the last version seen
 * and listing again when the server no longer has it (410 Gone) or an event cannot be read.
 *
 * <p>It replaces fabric8's informer for this one resource because of what a watch event costs
 * there: the informer copies the answer into a string a character at a time, then binds the whole
 * object, {@code originalPayload} and {@code managedFields} included, on another thread. Here the
 * bytes of each event are read where they arrive and only the fields deduplication reads are kept
 * ({@link RemediationRequestEvents}).
 */
final class RemediationRequestWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RemediationRequestWatch.class);

  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final WatchTransport transport;
  private final String namespace;
  private final String watchUrl;
  private final IncidentIndex index;
  private final Duration minWatch;

  private volatile boolean synced;
  private volatile boolean closed;
  private volatile Thread loop;

  /**
   * Watches with requests lasting between {@code minWatch} and twice that (the server ends each at
   * its timeout and the next resumes), over a streamed answer where the client watches only over
   * HTTP, else over a WebSocket.
   */
  RemediationRequestWatch(
      KubernetesClient client, String namespace, IncidentIndex index, Duration minWatch) {
    this.client = client;
    this.transport =
        client.getConfiguration().isOnlyHttpWatches()
            ? new StreamedWatch(client.getHttpClient())
            : new WebSocketWatch(client.getHttpClient());
    this.namespace = namespace;
    this.index = index;
    this.minWatch = minWatch;
    this.watchUrl =
        URLUtils.join(
            client.getMasterUrl().toString(),
            "apis",
            HasMetadata.getGroup(RemediationRequest.class),
            HasMetadata.getVersion(RemediationRequest.class),
            "namespaces",
            namespace,
            HasMetadata.getPlural(RemediationRequest.class));
  }

  /** Starts listing and watching on a thread of its own. */
  synchronized void start() {
    if (loop == null && !closed) {
      loop = Thread.ofVirtual().name("remediationrequest-watch").start(this::run);
    }
  }

  /** True once the first list has reached the index. */
  boolean synced() {
    return synced;
  }

  @Override
  public void close() {
    closed = true;
    transport.cancel();
    Thread running = loop;
    if (running != null) {
      running.interrupt();
    }
  }

  private void run() {
    String version = null;
    int failures = 0;
    while (!closed) {
      boolean listed = false;
      try {
        if (version == null) {
          version = list();
          listed = true;
          synced = true;
        }
        long started = System.nanoTime();
        long seconds = watchSeconds();
        WatchedEvents events = new WatchedEvents(index, version);
        WatchEnd ended;
        try {
          ended =
              transport.watch(
                  url(version, seconds),
                  Duration.ofSeconds(seconds + Math.max(5, seconds / 10)),
                  events);
        } finally {
          events.finish();
        }
        version = ended.relist() ? null : ended.version();
        boolean brief = System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1);
        // a watch the server ends at once, or a relist right after a list, must not spin
        boolean again = ended.failed() || (brief && (listed || !ended.relist()));
        // only failures in a row lengthen the pause: a watch that ran a while was a success until
        // it broke, however many broke before it
        failures = again ? (brief ? failures + 1 : 1) : 0;
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        failures++;
        log.warn(
            "RemediationRequests of {} could not be {}: {}",
            namespace,
            version == null ? "listed" : "watched",
            e.toString());
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      }
      if (failures > 0 && !pause(failures)) {
        return;
      }
    }
  }

  /**
   * Lists every page into the index, a page at a time (50,000 incidents with their payloads would
   * not fit the heap at once), then drops what the list no longer has; returns the version to watch
   * from. A list that fails part way has only brought cached incidents up to date.
   */
  private String list() {
    Set<String> listed = new HashSet<>();
    String next = null;
    String version;
    do {
      KubernetesResourceList<RemediationRequest> page =
          client
              .resources(RemediationRequest.class)
              .inNamespace(namespace)
              .list(
                  new ListOptionsBuilder()
                      .withLimit(MetadataCaches.LIST_PAGE)
                      .withContinue(next)
                      .build());
      for (RemediationRequest rr : page.getItems()) {
        String key = index.put(rr);
        if (key != null) {
          listed.add(key);
        }
      }
      next = page.getMetadata().getContinue();
      version = page.getMetadata().getResourceVersion();
    } while (next != null && !next.isEmpty());
    index.retainOnly(listed);
    return version == null ? "" : version;
  }

  /** How long the next watch asks the server to last: between minWatch and twice that. */
  private long watchSeconds() {
    long min = Math.max(1, minWatch.toSeconds());
    return min + ThreadLocalRandom.current().nextLong(min);
  }

  private String url(String version, long seconds) {
    return watchUrl
        + "?allowWatchBookmarks=true"
        + (version.isEmpty() ? "" : "&resourceVersion=" + URLUtils.encodeToUTF(version))
        + "&timeoutSeconds="
        + seconds
        + "&watch=true";
  }

  private boolean pause(int failures) {
    try {
      Thread.sleep(ApiCalls.backoff(FIRST_RETRY, MAX_RETRY, failures));
      return !closed;
    } catch (InterruptedException e) {
      return !closed;
    }
  }
}
