package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.kube.http.BlockingHttpClientFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RemediationRequest watch against a loopback server that answers with scripted lists and watch
 * streams: the answers a real API server gives only under conditions a test cannot bring about on
 * demand (an ERROR event for a compacted version, an event it cannot read, a watch it ends at once,
 * a bookmark).
 */
class RemediationRequestWatchProtocolTest {

  private static final String NAMESPACE = "kubernaut-system";
  private static final String PATH =
      "/apis/kubernaut.ai/v1alpha1/namespaces/" + NAMESPACE + "/remediationrequests";

  private final Queue<String> lists = new ConcurrentLinkedQueue<>();
  private final Queue<List<String>> watches = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final IncidentIndex index =
      new IncidentIndex(
          new RemediationRequestMapper(new ObjectMapper()),
          new OwnWrites(Clock.systemUTC(), Duration.ofMinutes(5)));
  private HttpServer server;
  private KubernetesClient client;
  private RemediationRequestWatch watch;

  /** What the server was asked, and when (nanoTime). */
  private record Request(String query, long at) {
    boolean watch() {
      return query.contains("watch=true");
    }
  }

  /** The lines of one watch answer; {@link #HOLD} last keeps the answer open until the end. */
  private static final String HOLD = "hold";

  /** A line starting so keeps the answer open, silent, for the milliseconds that follow it. */
  private static final String RUN_FOR = "run-for:";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(PATH, this::answer);
    server.start();
    client =
        new KubernetesClientBuilder()
            .withHttpClientFactory(new BlockingHttpClientFactory())
            .withConfig(
                BlockingHttpClientFactory.adapt(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                        .withNamespace(NAMESPACE)
                        .withRequestRetryBackoffLimit(0)
                        .withRequestTimeout(5_000)
                        .build()))
            .build();
  }

  @AfterEach
  void stop() {
    if (watch != null) {
      watch.close();
    }
    stopping.countDown();
    client.close();
    server.stop(0);
  }

  @Test
  void anErrorEvent410ListsAgainAndDropsWhatWasDeletedMeanwhile() {
    lists.add(list("10", item("rr-a", "1"), item("rr-b", "2")));
    String modified = event("MODIFIED", item("rr-b", "11", "Processing"));
    watches.add(
        List.of(
            modified.substring(0, 40),
            modified.substring(40) + "\n",
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\","
                + "\"message\":\"too old resource version: 10 (15)\",\"reason\":\"Expired\","
                + "\"code\":410}}\n"));
    lists.add(list("20", item("rr-b", "19", "Processing")));

    startWatching();

    await("the second list in the cache")
        .until(() -> index.size() == 1 && index.get(NAMESPACE, "rr-b") != null);
    await("watching from the second list")
        .until(() -> requests.size() >= 4 && requests.get(3).watch());
    assertThat(index.get(NAMESPACE, "rr-b").resourceVersion()).isEqualTo("19");
    assertThat(requests.get(0).watch()).isFalse();
    assertThat(requests.get(1).query()).contains("resourceVersion=10");
    assertThat(requests.get(2).watch()).as("listed again after the 410").isFalse();
    assertThat(requests.get(3).query()).contains("resourceVersion=20");
  }

  @Test
  void anUnreadableEventListsAgainAfterAPauseAndChangesNothing() {
    lists.add(list("10", item("rr-a", "1")));
    watches.add(List.of("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":\n"));
    lists.add(list("12", item("rr-a", "12", "Completed")));

    startWatching();

    await("listed again").until(() -> requests.size() >= 3);
    assertThat(requests.get(2).watch()).isFalse();
    assertThat(requests.get(2).at() - requests.get(1).at())
        .as("a pause before listing again")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(700));
    await("the second list in the cache")
        .until(() -> "Completed".equals(index.get(NAMESPACE, "rr-a").phase()));
  }

  @Test
  void watchesTheServerEndsAtOnceAreRetriedAfterGrowingPausesNotInALoop() {
    lists.add(list("10", item("rr-a", "1")));
    for (int i = 0; i < 5; i++) {
      watches.add(List.of());
    }

    startWatching();

    await("three watches").atMost(Duration.ofSeconds(30)).until(() -> watchRequests().size() >= 3);
    List<Request> tried = watchRequests();
    long first = tried.get(1).at() - tried.get(0).at();
    long second = tried.get(2).at() - tried.get(1).at();
    assertThat(first).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(700));
    assertThat(second).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1_400));
    assertThat(requests.stream().filter(r -> !r.watch())).as("listed once").hasSize(1);
    assertThat(tried).allMatch(r -> r.query().contains("resourceVersion=10"));
  }

  @Test
  void watchesThatBreakAfterRunningAWhilePauseAsAfterAFirstFailureHoweverOftenItHappens() {
    lists.add(list("10", item("rr-a", "1")));
    String internalError =
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"message\":\"etcdserver: request timed out\",\"reason\":\"InternalError\","
            + "\"code\":500}}\n";
    for (int i = 0; i < 5; i++) {
      watches.add(List.of(runFor(Duration.ofMillis(1_100)), internalError));
    }

    startWatching();

    await("five watches").atMost(Duration.ofSeconds(40)).until(() -> watchRequests().size() >= 5);
    List<Request> tried = watchRequests();
    assertThat(tried.get(4).at() - tried.get(3).at())
        .as("the fifth watch after the fourth's 1.1 s and one first-failure pause (at most 1.2 s)")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(4_500));
    assertThat(tried).allMatch(r -> r.query().contains("resourceVersion=10"));
    assertThat(requests.stream().filter(r -> !r.watch())).as("listed once").hasSize(1);
  }

  @Test
  void anObjectTheCacheCannotHoldIsSkippedAndTheEventsAfterItStillArrive() {
    String withoutFingerprint = item("rr-foreign", "2").replace("signalFingerprint", "signalName");
    lists.add(list("10", item("rr-a", "1"), withoutFingerprint));
    String withoutNamespace = item("rr-nowhere", "11").replace(",\"namespace\":", ",\"ns\":");
    watches.add(
        List.of(
            event("ADDED", withoutNamespace) + "\n",
            event("ADDED", item("rr-b", "12")) + "\n",
            HOLD));

    startWatching();

    await("the incident added after the one without a namespace")
        .until(() -> index.get(NAMESPACE, "rr-b") != null);
    assertThat(index.get(NAMESPACE, "rr-a"))
        .as("listed beside the one without fingerprint")
        .isNotNull();
    assertThat(requests.stream().filter(r -> !r.watch())).as("listed once").hasSize(1);
    assertThat(watchRequests()).as("the first watch goes on").hasSize(1);
  }

  @Test
  void aWatchStillOpenWellPastItsTimeoutIsGivenUpAndResumed() {
    lists.add(list("10", item("rr-a", "1")));
    watches.add(List.of(event("ADDED", item("rr-b", "11")) + "\n", HOLD));
    watches.add(List.of(event("ADDED", item("rr-c", "12")) + "\n", HOLD));

    startWatching(Duration.ofSeconds(1));

    await("a watch resumed after the first outlived its timeout of at most 2 s")
        .until(() -> index.get(NAMESPACE, "rr-c") != null);
    List<Request> tried = watchRequests();
    assertThat(tried.get(1).query()).contains("resourceVersion=11");
    assertThat(tried.get(1).at() - tried.get(0).at())
        .as("given up only after the server should have ended it")
        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(requests.stream().filter(r -> !r.watch())).as("listed once").hasSize(1);
  }

  @Test
  void anAnswerEndedCleanlyInTheMiddleOfAnEventResumesFromTheLastWholeOne() {
    lists.add(list("10", item("rr-a", "1")));
    String cut = event("ADDED", item("rr-c", "12"));
    watches.add(List.of(event("ADDED", item("rr-b", "11")) + "\n", cut.substring(0, 60)));
    watches.add(List.of(cut + "\n", HOLD));

    startWatching();

    await("the event cut short, sent again").until(() -> index.get(NAMESPACE, "rr-c") != null);
    assertThat(watchRequests().get(1).query()).contains("resourceVersion=11");
    assertThat(requests.stream().filter(r -> !r.watch())).as("listed once").hasSize(1);
  }

  @Test
  void aBookmarkMovesTheVersionTheNextWatchResumesFrom() {
    lists.add(list("10", item("rr-a", "1")));
    watches.add(
        List.of(
            event("ADDED", item("rr-b", "30")) + "\n",
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"RemediationRequest\",\"metadata\":"
                + "{\"resourceVersion\":\"50\"}}}\n"));

    startWatching();

    await("the second watch").until(() -> watchRequests().size() >= 2);
    assertThat(watchRequests().get(1).query()).contains("resourceVersion=50");
    assertThat(index.get(NAMESPACE, "rr-b")).isNotNull();
    assertThat(requests.stream().filter(r -> !r.watch())).as("listed once").hasSize(1);
  }

  @Test
  void aListInPagesCachesEveryPageAndDropsWhatNoPageHas() {
    lists.add(list("10", item("rr-a", "1"), item("rr-b", "2")));
    watches.add(List.of("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}\n"));
    lists.add(page("20", "next-page", item("rr-b", "15")));
    lists.add(page("20", "", item("rr-c", "16")));

    startWatching();

    await("the second list, both pages")
        .until(
            () ->
                index.size() == 2
                    && index.get(NAMESPACE, "rr-c") != null
                    && "15".equals(index.get(NAMESPACE, "rr-b").resourceVersion()));
    await("watching from the second list")
        .until(() -> requests.size() >= 5 && requests.get(4).watch());
    assertThat(requests.get(2).query()).contains("limit=500").doesNotContain("continue=");
    assertThat(requests.get(3).query()).contains("continue=next-page");
    assertThat(requests.get(4).query()).contains("resourceVersion=20");
  }

  @Test
  void aDeletionOfAnIncidentNeverCachedIsHarmless() {
    lists.add(list("10", item("rr-a", "1")));
    watches.add(
        List.of(
            event("DELETED", item("rr-unknown", "11")) + "\n",
            event("DELETED", item("rr-a", "12")) + "\n",
            HOLD));

    startWatching();

    await("the deletion").until(() -> watch.synced() && index.size() == 0);
    assertThat(watchRequests()).hasSize(1);
  }

  private void startWatching() {
    startWatching(Duration.ofMinutes(5));
  }

  private void startWatching(Duration minWatch) {
    watch = new RemediationRequestWatch(client, NAMESPACE, index, minWatch);
    watch.start();
  }

  private List<Request> watchRequests() {
    return requests.stream().filter(Request::watch).toList();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    requests.add(new Request(query == null ? "" : query, System.nanoTime()));
    try (exchange) {
      if (query != null && query.contains("watch=true")) {
        List<String> lines = watches.poll();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        List<String> script = lines == null ? List.of(HOLD) : lines;
        for (String line : script) {
          if (line.equals(HOLD)) {
            awaitStop();
          } else if (line.startsWith(RUN_FOR)) {
            runFor(Long.parseLong(line.substring(RUN_FOR.length())));
          } else {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
        return;
      }
      String body = lists.poll();
      if (body == null) {
        body = list("99");
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  /** The answer stays open, sending nothing, for {@code millis}: a watch that runs a while. */
  private void runFor(long millis) {
    try {
      stopping.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String runFor(Duration duration) {
    return RUN_FOR + duration.toMillis();
  }

  private void awaitStop() {
    try {
      stopping.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String list(String resourceVersion, String... items) {
    return page(resourceVersion, "", items);
  }

  private static String page(String resourceVersion, String next, String... items) {
    return "{\"kind\":\"RemediationRequestList\",\"apiVersion\":\"kubernaut.ai/v1alpha1\","
        + "\"metadata\":{\"resourceVersion\":\""
        + resourceVersion
        + "\",\"continue\":\""
        + next
        + "\"},\"items\":["
        + String.join(",", items)
        + "]}";
  }

  private static String event(String type, String object) {
    return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
  }

  private static String item(String name, String resourceVersion) {
    return item(name, resourceVersion, "Pending");
  }

  private static String item(String name, String resourceVersion, String phase) {
    List<String> fields = new ArrayList<>();
    fields.add("\"kind\":\"RemediationRequest\"");
    fields.add("\"apiVersion\":\"kubernaut.ai/v1alpha1\"");
    fields.add(
        "\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + NAMESPACE
            + "\",\"resourceVersion\":\""
            + resourceVersion
            + "\",\"creationTimestamp\":\"2026-12-06T17:00:00Z\"}");
    fields.add("\"spec\":{\"signalFingerprint\":\"" + "f".repeat(64) + "\"}");
    fields.add("\"status\":{\"overallPhase\":\"" + phase + "\"}");
    return "{" + String.join(",", fields) + "}";
  }

  private static ConditionFactory await(String what) {
    return Awaitility.await(what)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20));
  }
}
