package ai.kubernaut.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.kubernaut.gateway.adapter.alertmanager.AlertmanagerSource;
import ai.kubernaut.gateway.kube.crd.RemediationRequest;
import ai.kubernaut.gateway.testing.FaultDispatcher;
import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Alertmanager delivering to the gateway through the receiver of {@code
 * deploy/examples/alertmanager-receiver.yaml} (timings shortened): alerts posted to its API become
 * RemediationRequests, its own retries carry alerts over an outage of the Kubernetes API, and a
 * resolved alert is counted like a firing one. A relay between the two records each webhook and the
 * status Alertmanager got back.
 */
class AlertmanagerE2EIT {

  static final String RR_PATH =
      "/apis/kubernaut.ai/v1alpha1/namespaces/"
          + MockCluster.CONTROLLER_NAMESPACE
          + "/remediationrequests";
  static final Path RECEIVER_EXAMPLE =
      Path.of(System.getProperty("basedir", "."), "deploy/examples/alertmanager-receiver.yaml");
  static final String TOKEN = "alertmanager-service-account-token";

  /**
   * How long a webhook may take to be answered. Generous: one notification takes a group_wait (1s)
   * and a retry backoff or two; the rest is slack for loaded CI machines.
   */
  static final Duration ANSWERED = Duration.ofSeconds(60);

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;
  WebhookRelay relay;
  AlertmanagerProcess alertmanager;
  final Map<String, String> pods = new TreeMap<>();

  @BeforeEach
  void start() throws IOException {
    Path binary = AlertmanagerProcess.binary().orElse(null);
    assumeTrue(binary != null, "no alertmanager on the PATH (.ci/run installs it)");
    cluster = MockCluster.start();
    cluster.managedNamespace("shop");
    for (String workload : new String[] {"checkout", "payments", "inventory"}) {
      pods.put(workload, cluster.deploymentWithPod("shop", workload, Map.of()));
    }
    gateway = GatewayHarness.start(cluster, dir);
    relay = WebhookRelay.to(gateway.api(AlertmanagerSource.PATH));
    alertmanager = AlertmanagerProcess.start(binary, dir, alertmanagerConfig());
  }

  @AfterEach
  void stop() throws IOException {
    // For diagnosis: failsafe keeps a test's output in its report directory.
    if (relay != null) {
      relay.deliveries().forEach(d -> System.out.println("webhook " + d));
    }
    if (alertmanager != null) {
      System.out.println("alertmanager log:\n" + Files.readString(alertmanager.log()));
    }
    for (AutoCloseable part : new AutoCloseable[] {alertmanager, relay, gateway, cluster}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The example receiver, pointed at the relay, with a token file and one-second grouping. */
  String alertmanagerConfig() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    ObjectNode config = (ObjectNode) YAML.readTree(RECEIVER_EXAMPLE.toFile());
    ObjectNode route = (ObjectNode) config.path("route");
    route.put("group_wait", "1s").put("group_interval", "1s").put("repeat_interval", "1h");
    ObjectNode webhook =
        (ObjectNode) config.path("receivers").get(0).path("webhook_configs").get(0);
    webhook.put("url", relay.url().toString());
    ((ObjectNode) webhook.path("http_config").path("authorization"))
        .put("credentials_file", token.toString());
    return YAML.writeValueAsString(config);
  }

  @Test
  void alertsBecomeOneRemediationRequestPerWorkloadWithExactCounts() {
    alertmanager.postAlerts(
        "["
            + alert("KubePodCrashLooping", "pod", pods.get("checkout"), "critical")
            + ","
            + alert("KubePodCrashLooping", "pod", pods.get("payments"), "critical")
            + ","
            + alert("KubeDeploymentReplicasMismatch", "deployment", "checkout", "warning")
            + "]");

    // Grouped by alert name and namespace: one webhook with both crash loops, one with the
    // mismatch.
    await().atMost(ANSWERED).until(() -> relay.deliveries().size() >= 2);

    assertThat(occurrences())
        .isEqualTo(Map.of("Deployment shop/checkout", 2, "Deployment shop/payments", 1));
    assertThat(relay.deliveries())
        .extracting(d -> d.alertNames().size())
        .containsExactlyInAnyOrder(2, 1);
    // Each answered 2xx once (no retry), and carrying the token from the credentials file.
    assertThat(relay.deliveries())
        .allSatisfy(
            d -> {
              assertThat(d.accepted()).as("answer %s %s", d.status(), d.response()).isTrue();
              assertThat(d.authorization()).isEqualTo("Bearer " + TOKEN);
            });
    assertThat(gateway.remediationRequests())
        .allSatisfy(
            rr -> {
              assertThat(rr.getSpec().getTargetResource().getApiVersion()).isEqualTo("apps/v1");
              assertThat(rr.getSpec().getSignalSource()).isEqualTo("prometheus");
            });
  }

  @Test
  void whileTheGatewayAnswers503AlertmanagerRetriesAndTheAlertIsRecordedOnceAfterRecovery() {
    FaultDispatcher faults = cluster.faults();
    faults.fail("POST", RR_PATH, 503, Integer.MAX_VALUE);

    alertmanager.postAlerts(
        "[" + alert("KubePodNotReady", "pod", pods.get("inventory"), "warning") + "]");

    await().atMost(ANSWERED).until(() -> relay.deliveriesOf("KubePodNotReady").size() >= 2);
    faults.clearFaults();
    await()
        .atMost(ANSWERED)
        .until(() -> relay.deliveriesOf("KubePodNotReady").getLast().accepted());

    assertThat(occurrences()).isEqualTo(Map.of("Deployment shop/inventory", 1));
    var deliveries = relay.deliveriesOf("KubePodNotReady");
    assertThat(deliveries.getLast().status()).isEqualTo(201);
    assertThat(deliveries.subList(0, deliveries.size() - 1))
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(503));
    // Every refused delivery tried the create (and its retry) and failed; one create succeeded.
    assertThat(faults.seen("POST", RR_PATH).stream().filter(FaultDispatcher.Seen::faulted))
        .hasSizeGreaterThanOrEqualTo(2 * (deliveries.size() - 1));
    assertThat(faults.seen("POST", RR_PATH).stream().filter(s -> !s.faulted())).hasSize(1);
    assertThat(
            alertmanager.metric(
                "alertmanager_notification_requests_failed_total", "integration=\"webhook\""))
        .isEqualTo(deliveries.size() - 1);
  }

  @Test
  void aResolvedAlertIsAnswered200AndLeavesTheActiveRemediationRequestsCountUnchanged() {
    String firing = alert("KubeDeploymentReplicasMismatch", "deployment", "checkout", "warning");
    alertmanager.postAlerts("[" + firing + "]");
    await().atMost(ANSWERED).until(() -> relay.deliveries().size() == 1);
    assertThat(occurrences()).isEqualTo(Map.of("Deployment shop/checkout", 1));

    alertmanager.postAlerts("[" + resolved(firing) + "]");

    await().atMost(ANSWERED).until(() -> relay.deliveries().size() == 2);
    assertThat(occurrences()).isEqualTo(Map.of("Deployment shop/checkout", 1));
    var resolvedDelivery = relay.deliveries().getLast();
    assertThat(resolvedDelivery.alertStatuses()).containsExactly("resolved");
    assertThat(resolvedDelivery.status()).isEqualTo(200);
    JsonNode body = GatewayHarness.parse(resolvedDelivery.response());
    assertThat(body.path("status").asText()).isEqualTo("resolved");
    assertThat(body.path("resolution").path("activeIncident").asBoolean()).isTrue();
  }

  @Test
  @Tag("slow")
  void anOutageLongerThanOneFlushIsDeliveredByTheNextGroupInterval() {
    FaultDispatcher faults = cluster.faults();
    faults.fail("POST", RR_PATH, 503, Integer.MAX_VALUE);

    alertmanager.postAlerts(
        "[" + alert("KubePodNotReady", "pod", pods.get("inventory"), "warning") + "]");

    // Alertmanager retries one notification for max(group_interval, 10s), then gives it up as
    // failed; the alert is still pending, so the next group_interval notifies it again.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                alertmanager.metric(
                        "alertmanager_notifications_failed_total", "integration=\"webhook\"")
                    >= 1);
    faults.clearFaults();
    await()
        .atMost(ANSWERED)
        .until(() -> relay.deliveriesOf("KubePodNotReady").getLast().accepted());

    var deliveries = relay.deliveriesOf("KubePodNotReady");
    assertThat(deliveries.getLast().status()).isEqualTo(201);
    assertThat(deliveries.subList(0, deliveries.size() - 1))
        .hasSizeGreaterThan(2)
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(503));
    assertThat(faults.seen("POST", RR_PATH).stream().filter(s -> !s.faulted())).hasSize(1);
    assertThat(occurrences()).isEqualTo(Map.of("Deployment shop/inventory", 1));
  }

  /** Occurrence count per target of every RemediationRequest. */
  Map<String, Integer> occurrences() {
    return gateway.remediationRequests().stream()
        .collect(
            Collectors.toMap(
                AlertmanagerE2EIT::target,
                rr ->
                    rr.getStatus() == null || rr.getStatus().getDeduplication() == null
                        ? 0
                        : rr.getStatus().getDeduplication().getOccurrenceCount()));
  }

  static String target(RemediationRequest rr) {
    var target = rr.getSpec().getTargetResource();
    return target.getKind() + " " + target.getNamespace() + "/" + target.getName();
  }

  /**
   * An alert as Prometheus posts it to Alertmanager's API, starting now: Alertmanager notifies a
   * group at once, without its group_wait, when its first alert started longer ago than that.
   */
  static String alert(String name, String labelKey, String labelValue, String severity) {
    return """
        {"labels":{"alertname":"%s","namespace":"shop","%s":"%s","severity":"%s"},\
        "annotations":{"summary":"%s on %s"},"startsAt":"%s",\
        "generatorURL":"http://prometheus.example/graph"}"""
        .formatted(name, labelKey, labelValue, severity, name, labelValue, Instant.now());
  }

  /** The same alert, ended now: Alertmanager marks it resolved. */
  static String resolved(String alert) {
    try {
      ObjectNode node = (ObjectNode) new ObjectMapper().readTree(alert);
      node.put("endsAt", Instant.now().toString());
      return node.toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
