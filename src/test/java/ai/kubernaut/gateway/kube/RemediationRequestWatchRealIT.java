package ai.kubernaut.gateway.kube;

import static org.assertj.core.api.Assertions.assertThat;

import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.kube.crd.RemediationRequestStatus;
import ai.kubernaut.gateway.signal.IncidentState;
import ai.kubernaut.gateway.signal.Signal;
import ai.kubernaut.gateway.testing.FaultProxy;
import ai.kubernaut.gateway.testing.RealApiServer;
import ai.kubernaut.gateway.testing.RealApiServerTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The RemediationRequest watch against the real API server, through a proxy that cuts and refuses
 * its connections: the cache follows another writer's creates, status changes and deletions, and
 * catches up after every way a watch ends.
 */
@RealApiServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemediationRequestWatchRealIT {

  private static final Instant NOW = Instant.parse("2026-12-06T17:00:00Z");

  RealApiServer server;
  FaultProxy faults;
  KubernetesClient admin;
  KubernetesClient gateway;
  final RemediationRequestMapper mapper = new RemediationRequestMapper(new ObjectMapper());
  String namespace;
  String path;
  IncidentIndex index;
  RemediationRequestWatch watch;

  @BeforeAll
  void startProxy(RealApiServer server) throws Exception {
    this.server = server;
    Path scratch = Files.createTempDirectory("rr-watch-real");
    faults = FaultProxy.start(server, scratch);
    admin = server.admin();
    gateway = server.clientThrough(faults, RealApiServer.GATEWAY_USER);
  }

  @AfterAll
  void stopProxy() {
    gateway.close();
    faults.close();
  }

  @BeforeEach
  void namespace() {
    namespace = server.newControllerNamespace("rr-watch");
    path = "/apis/kubernaut.ai/v1alpha1/namespaces/" + namespace + "/remediationrequests";
    index = new IncidentIndex(mapper, new OwnWrites(Clock.systemUTC(), Duration.ofMinutes(5)));
  }

  @AfterEach
  void stopWatch() {
    faults.clearFaults();
    if (watch != null) {
      watch.close();
    }
  }

  @Test
  void theCacheFollowsAnotherWritersCreatesStatusChangesAndDeletions() {
    RemediationRequest before = create("checkout");
    startWatching(Duration.ofMinutes(5));
    await("the listed incident").until(() -> cached(before) != null);

    RemediationRequest later = create("payments");
    await("the created incident").until(() -> cached(later) != null);
    setPhase(later, "Completed", 7);
    await("the status change")
        .until(() -> "Completed".equals(cached(later).phase()) && count(cached(later)) == 7);
    delete(before);
    await("the deletion").until(() -> cached(before) == null);

    assertThat(index.size()).isOne();
    assertThat(index.find(later.getSpec().getSignalFingerprint())).containsOnlyKeys(name(later));
  }

  @Test
  void aWatchCutByTheNetworkResumesFromItsVersionAndCatchesUpWithoutListingAgain() {
    RemediationRequest deleted = create("checkout");
    RemediationRequest updated = create("payments");
    startWatching(Duration.ofMinutes(5));
    await("both incidents cached").until(() -> cached(deleted) != null && cached(updated) != null);
    faults.forgetSeen();

    faults.blockWatches(path);
    await("a watch attempt refused")
        .until(
            () ->
                faults.seen("GET", path).stream()
                    .anyMatch(s -> s.fault() == FaultProxy.Fault.RESET));
    delete(deleted);
    setPhase(updated, "Processing", 3);
    RemediationRequest created = create("billing");
    assertThat(cached(deleted)).as("no watch delivers while blocked").isNotNull();
    faults.clearFaults();

    await("the changes made while the watch was cut")
        .until(
            () ->
                cached(deleted) == null
                    && cached(created) != null
                    && "Processing".equals(cached(updated).phase()));
    List<FaultProxy.Seen> requests = faults.seen("GET", path);
    assertThat(requests)
        .as("watches refused while blocked, then one resumed from a version")
        .anyMatch(s -> s.fault() == FaultProxy.Fault.RESET)
        .anyMatch(s -> s.status() == 200 && s.query().contains("resourceVersion="));
    assertThat(requests).as("no list again").allMatch(s -> s.query().contains("watch=true"));
  }

  @Test
  void aWatchAnswered410GoneListsAgainAndDropsWhatWasDeletedMeanwhile() {
    RemediationRequest deleted = create("checkout");
    RemediationRequest kept = create("payments");
    startWatching(Duration.ofMinutes(5));
    await("both incidents cached").until(() -> cached(deleted) != null && cached(kept) != null);
    faults.forgetSeen();

    faults.blockWatches(path);
    delete(deleted);
    faults.clearFaults();
    faults.failWhere("GET", path, "watch=true", 410, 1);
    faults.resetWatches();

    await("the deletion, seen by listing again").until(() -> cached(deleted) == null);
    List<FaultProxy.Seen> requests = faults.seen("GET", path);
    assertThat(requests)
        .as("the 410 happened")
        .anyMatch(s -> s.fault() == FaultProxy.Fault.STATUS && s.status() == 410);
    assertThat(requests)
        .as("a list after the 410")
        .anyMatch(s -> s.status() == 200 && !s.query().contains("watch=true"));
    assertThat(cached(kept)).isNotNull();
    assertThat(index.size()).isOne();
  }

  @Test
  void watchesTheServerEndsAtTheirTimeoutAreResumedWithoutListingAgain() {
    startWatching(Duration.ofSeconds(2));
    await("listed").until(watch::synced);
    faults.forgetSeen();
    RemediationRequest first = create("checkout");
    await("the first incident").until(() -> cached(first) != null);

    await("two watches ended by the server")
        .atMost(Duration.ofSeconds(30))
        .until(() -> faults.seen("GET", path).stream().filter(s -> s.status() == 200).count() >= 2);
    RemediationRequest second = create("payments");
    await("an incident created after a watch ended").until(() -> cached(second) != null);

    assertThat(faults.seen("GET", path)).allMatch(s -> s.query().contains("watch=true"));
  }

  @Test
  void aClosedWatchSendsNothingMore() {
    startWatching(Duration.ofMinutes(5));
    await("listed").until(watch::synced);

    watch.close();
    faults.forgetSeen();
    faults.resetWatches();

    Awaitility.await("no request after close")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> faults.arrived("GET", path).isEmpty());
  }

  private void startWatching(Duration minWatch) {
    watch = new RemediationRequestWatch(gateway, namespace, index, minWatch);
    watch.start();
  }

  private static ConditionFactory await(String what) {
    return Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50));
  }

  private IncidentState cached(RemediationRequest rr) {
    return index.get(namespace, name(rr));
  }

  private static String name(RemediationRequest rr) {
    return rr.getMetadata().getName();
  }

  private static int count(IncidentState state) {
    return state.occurrences().map(o -> o.count()).orElse(0);
  }

  private RemediationRequest create(String deployment) {
    String payload = "{\"payload\":\"" + "p".repeat(2_000) + "\"}";
    Signal signal = SampleSignals.about("KubePodCrashLooping", "shop", deployment, NOW, payload);
    RemediationRequest rr = mapper.newRequest(signal, 1, namespace, NOW);
    return admin.resources(RemediationRequest.class).inNamespace(namespace).resource(rr).create();
  }

  private void setPhase(RemediationRequest rr, String phase, int count) {
    admin
        .resources(RemediationRequest.class)
        .inNamespace(namespace)
        .withName(name(rr))
        .editStatus(
            current -> {
              RemediationRequestStatus status =
                  current.getStatus() == null
                      ? new RemediationRequestStatus()
                      : current.getStatus();
              status.setOverallPhase(phase);
              var dedup = new ai.kubernaut.gateway.kube.crd.DeduplicationStatus();
              dedup.setFirstSeenAt("2026-12-06T17:00:00Z");
              dedup.setLastSeenAt("2026-12-06T17:00:01Z");
              dedup.setOccurrenceCount(count);
              status.setDeduplication(dedup);
              current.setStatus(status);
              return current;
            });
  }

  private void delete(RemediationRequest rr) {
    admin.resources(RemediationRequest.class).inNamespace(namespace).withName(name(rr)).delete();
  }
}
