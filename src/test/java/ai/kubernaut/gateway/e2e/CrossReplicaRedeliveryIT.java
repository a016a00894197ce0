package ai.kubernaut.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measures how often a redelivery by the real Alertmanager is counted again when two gateway
 * replicas sit behind a round-robin proxy. Each trial opens an incident, then has Alertmanager
 * notify a group of two alerts about it and about a second workload, with a fault on the first
 * delivery so that Alertmanager delivers the notification again:
 *
 * <ul>
 *   <li>{@code REFUSED}: the second workload's incident cannot be created (the API server answers
 *       503 to the create), so the gateway answers 503 after counting the first alert, and
 *       Alertmanager retries the notification;
 *   <li>{@code ANSWER_LOST}: the gateway records both alerts, but its answer is held back for 11 s
 *       in the proxy, longer than Alertmanager's 10 s notification timeout, so Alertmanager gives
 *       up on the connection and sends the notification again at its next flush.
 * </ul>
 *
 * The first alert's count shows whether the redelivery was counted again. What the test asserts is
 * the rule behind the figures: a redelivery is counted again exactly when it reaches another
 * replica than the first delivery. The figures are printed.
 */
@Tag("slow")
class CrossReplicaRedeliveryIT {

  static final Duration ANSWERED = Duration.ofSeconds(60);

  @TempDir Path dir;

  enum Fault {
    REFUSED,
    ANSWER_LOST
  }

  @ParameterizedTest(name = "{0} behind a proxy balancing {1}")
  @CsvSource({
    "REFUSED, PER_CONNECTION, 6",
    "REFUSED, PER_REQUEST, 6",
    "ANSWER_LOST, PER_CONNECTION, 2",
    "ANSWER_LOST, PER_REQUEST, 2"
  })
  void aRedeliveryIsCountedAgainExactlyWhenItReachesTheOtherReplica(
      Fault fault, WebhookRelay.Balancing balancing, int trials) throws IOException {
    Path binary = AlertmanagerProcess.binary().orElse(null);
    assumeTrue(binary != null, "no alertmanager on the PATH (.ci/run installs it)");
    try (MockCluster cluster = MockCluster.start()) {
      cluster.managedNamespace("shop");
      for (int t = 0; t < trials; t++) {
        cluster.deploymentWithPod("shop", "known-" + t, Map.of());
        cluster.deploymentWithPod("shop", "fresh-" + t, Map.of());
      }
      List<GatewayHarness> replicas = new ArrayList<>();
      try {
        for (int r = 0; r < 2; r++) {
          replicas.add(
              GatewayHarness.start(cluster, Files.createDirectories(dir.resolve("replica-" + r))));
        }
        try (WebhookRelay proxy =
                WebhookRelay.roundRobin(
                    replicas.stream().map(g -> g.api(AlertmanagerSource.PATH)).toList(),
                    balancing);
            AlertmanagerProcess alertmanager =
                AlertmanagerProcess.start(binary, dir, alertmanagerConfig(proxy))) {
          int countedAgain = 0;
          int otherReplica = 0;
          for (int t = 0; t < trials; t++) {
            Trial trial = trial(t, fault, cluster, replicas.getFirst(), proxy, alertmanager);
            System.out.printf(
                "%s %s trial %d: deliveries to replicas %s, first alert counted %d time(s)%n",
                fault, balancing, t, trial.replicas(), trial.counted());
            assertThat(trial.counted())
                .as("counted again exactly when redelivered to the other replica")
                .isEqualTo(trial.reachedOtherReplica() ? 2 : 1);
            countedAgain += trial.counted() - 1;
            otherReplica += trial.reachedOtherReplica() ? 1 : 0;
          }
          System.out.printf(
              "CROSS-REPLICA %s %s: %d of %d redelivered notifications counted again"
                  + " (%d reached the other replica)%n",
              fault, balancing, countedAgain, trials, otherReplica);
        } finally {
          // For diagnosis: failsafe keeps a test's output in its report directory.
          Path log = dir.resolve("alertmanager.log");
          if (Files.exists(log)) {
            System.out.println("alertmanager log:\n" + Files.readString(log));
          }
        }
      } finally {
        replicas.forEach(GatewayHarness::close);
      }
    }
  }

  /**
   * @param replicas the replica each delivery of the notification reached, in order
   * @param counted how many times the first alert was counted by the notification
   */
  record Trial(List<Integer> replicas, int counted) {
    boolean reachedOtherReplica() {
      return replicas.stream().distinct().count() > 1;
    }
  }

  private static Trial trial(
      int t,
      Fault fault,
      MockCluster cluster,
      GatewayHarness direct,
      WebhookRelay proxy,
      AlertmanagerProcess alertmanager) {
    String known = "known-" + t;
    String opened =
        direct
            .post(
                AlertmanagerSource.PATH,
                "{\"alerts\":["
                    + AlertmanagerE2EIT.alert("Opened" + t, "deployment", known, "warning")
                    + "]}")
            .body();
    assertThat(GatewayHarness.parse(opened).path("status").asText()).isEqualTo("created");
    String name = "Notified" + t;
    switch (fault) {
      case REFUSED -> cluster.faults().fail("POST", AlertmanagerE2EIT.RR_PATH, 503, 2);
      case ANSWER_LOST -> proxy.holdNextAnswer(name, Duration.ofSeconds(11));
    }
    alertmanager.postAlerts(
        "["
            + AlertmanagerE2EIT.alert(name, "deployment", known, "warning")
            + ","
            + AlertmanagerE2EIT.alert(name, "deployment", "fresh-" + t, "warning")
            + "]");
    await()
        .atMost(ANSWERED)
        .until(
            () ->
                proxy.deliveriesOf(name).size() >= 2
                    && proxy.deliveriesOf(name).getLast().accepted()
                    && occurrences(direct, "fresh-" + t) >= 1);
    List<WebhookRelay.Delivery> deliveries = proxy.deliveriesOf(name);
    return new Trial(
        deliveries.stream().map(WebhookRelay.Delivery::replica).toList(),
        occurrences(direct, known) - 1);
  }

  private static int occurrences(GatewayHarness gateway, String deployment) {
    return gateway.remediationRequests().stream()
        .filter(rr -> rr.getSpec().getTargetResource().getName().equals(deployment))
        .mapToInt(CrossReplicaRedeliveryIT::count)
        .sum();
  }

  private static int count(RemediationRequest rr) {
    return rr.getStatus() == null || rr.getStatus().getDeduplication() == null
        ? 0
        : rr.getStatus().getDeduplication().getOccurrenceCount();
  }

  /** The example receiver, pointed at the proxy, with one-second grouping. */
  private String alertmanagerConfig(WebhookRelay proxy) throws IOException {
    Path token = Files.writeString(dir.resolve("token"), AlertmanagerE2EIT.TOKEN + "\n");
    ObjectNode config =
        (ObjectNode) AlertmanagerE2EIT.YAML.readTree(AlertmanagerE2EIT.RECEIVER_EXAMPLE.toFile());
    ObjectNode route = (ObjectNode) config.path("route");
    route.put("group_wait", "1s").put("group_interval", "1s").put("repeat_interval", "1h");
    ObjectNode webhook =
        (ObjectNode) config.path("receivers").get(0).path("webhook_configs").get(0);
    webhook.put("url", proxy.url().toString());
    ((ObjectNode) webhook.path("http_config").path("authorization"))
        .put("credentials_file", token.toString());
    return AlertmanagerE2EIT.YAML.writeValueAsString(config);
  }
}
