package ai.kubernaut.gateway.adapter.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.kubernaut.gateway.Fixtures;
import ai.kubernaut.gateway.kube.BuiltInResourceKinds;
import ai.kubernaut.gateway.signal.InboundSignal;
import ai.kubernaut.gateway.signal.InvalidPayloadException;
import ai.kubernaut.gateway.signal.ParsedSignal;
import ai.kubernaut.gateway.signal.ResourceKind;
import ai.kubernaut.gateway.signal.ResourceKinds;
import ai.kubernaut.gateway.signal.ResourceRef;
import ai.kubernaut.gateway.testing.SourceBodies;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertmanagerSourceTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private final AlertmanagerSource adapter = new AlertmanagerSource(new BuiltInResourceKinds());

  @Test
  void parsesAFiringAlertIntoASignalAboutItsPod() {
    InboundSignal signal = only(parse(Fixtures.bytes("alertmanager/firing-pod.json")));

    assertThat(signal.source()).isEqualTo("prometheus");
    assertThat(signal.name()).isEqualTo("KubePodCrashLooping");
    assertThat(signal.severity()).isEqualTo("critical");
    assertThat(signal.clusterId()).isEmpty();
    assertThat(signal.firingTime()).isEqualTo(Instant.parse("2026-11-21T11:58:03.512Z"));
    assertThat(signal.receivedTime()).isEqualTo(NOW);
    assertThat(signal.targetCandidates())
        .containsExactly(new ResourceRef("Pod", "checkout-7d9f8b6c5-x2k4p", "demo", ""));
    assertThat(signal.labels())
        .containsEntry("container", "app")
        .containsEntry("job", "kube-state-metrics");
    assertThat(signal.annotations()).containsEntry("summary", "Pod is crash looping.");
    assertThat(signal.originalPayload()).isEqualTo(Fixtures.text("alertmanager/firing-pod.json"));
  }

  @Test
  void reservedLabelsNeverBecomeTargets() {
    InboundSignal signal =
        only(
            parse(
                webhook(
                    "{\"alertname\":\"X\",\"job\":\"api\",\"service\":\"web\",\"instance\":\"a\",\"container\":\"c\",\"endpoint\":\"e\",\"namespace\":\"demo\"}")));

    assertThat(signal.targetCandidates()).containsExactly(TargetCandidates.UNKNOWN);
  }

  @Test
  void workloadControllersRankAbovePods() {
    InboundSignal signal =
        only(
            parse(
                webhook(
                    "{\"alertname\":\"X\",\"namespace\":\"demo\",\"pod\":\"p-1\",\"deployment\":\"checkout\",\"replicaset\":\"checkout-1\"}")));

    assertThat(signal.targetCandidates())
        .extracting(ResourceRef::kind)
        .containsExactly("Deployment", "ReplicaSet", "Pod");
  }

  @Test
  void exportedNamespaceGoesWithExportedPodAndTheScrapeTargetsOwnPodIsNoCandidate() {
    InboundSignal signal =
        only(
            parse(
                webhook(
                    "{\"alertname\":\"X\",\"namespace\":\"monitoring\",\"pod\":\"exporter-1\","
                        + "\"exported_namespace\":\"demo\",\"exported_pod\":\"p-1\"}")));

    assertThat(signal.targetCandidates())
        .containsExactly(new ResourceRef("Pod", "p-1", "demo", ""));
  }

  @Test
  void withExportedNamespaceTheSeriesOwnResourceLabelsUseIt() {
    InboundSignal signal =
        only(
            parse(
                webhook(
                    "{\"alertname\":\"X\",\"namespace\":\"monitoring\",\"pod\":\"exporter-1\","
                        + "\"exported_namespace\":\"demo\",\"deployment\":\"checkout\"}")));

    assertThat(signal.targetCandidates())
        .containsExactly(new ResourceRef("Deployment", "checkout", "demo", ""));
  }

  @Test
  void aPodComesBeforeTheNodeItRunsOn() {
    InboundSignal signal =
        only(
            parse(
                webhook(
                    "{\"alertname\":\"X\",\"namespace\":\"demo\",\"pod\":\"p-1\",\"node\":\"worker-2\"}")));

    assertThat(signal.targetCandidates())
        .extracting(ResourceRef::kind)
        .containsExactly("Pod", "Node");
  }

  @Test
  void clusterTenantAndApplicationLabelsNeverNameATargetEvenWhenSuchKindsExist() {
    AlertmanagerSource withLookalikes = new AlertmanagerSource(new KindsWithLookalikes());

    InboundSignal signal =
        only(
            SourceBodies.parse(
                withLookalikes,
                webhook(
                    "{\"alertname\":\"X\",\"namespace\":\"demo\",\"cluster\":\"prod-eu\","
                        + "\"tenant\":\"team-a\",\"application\":\"shop\",\"pod\":\"p-1\"}"),
                NOW));

    assertThat(signal.targetCandidates())
        .containsExactly(new ResourceRef("Pod", "p-1", "demo", ""));
  }

  @Test
  void theCommonClusterWinsOverTheAlertsOwn() {
    InboundSignal signal =
        only(
            parse(
                webhookWithCommon(
                    "{\"cluster\":\"prod-eu\"}",
                    "{\"alertname\":\"X\",\"pod\":\"p-1\",\"cluster\":\"prod-us\"}")));

    assertThat(signal.clusterId()).isEqualTo("prod-eu");
  }

  @Test
  void eachAlertsOwnClusterIsUsedWhenTheCommonLabelsLackIt() {
    List<ParsedSignal> parsed =
        parse(
            ("{\"commonLabels\":{\"cluster\":\"\"},\"alerts\":["
                    + "{\"labels\":{\"alertname\":\"X\",\"pod\":\"p-1\",\"cluster\":\"prod-eu\"}},"
                    + "{\"labels\":{\"alertname\":\"X\",\"pod\":\"p-2\",\"cluster\":\"prod-us\"}}]}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(parsed)
        .extracting(p -> ((ParsedSignal.Accepted) p).signal().clusterId())
        .containsExactly("prod-eu", "prod-us");
  }

  @Test
  void neitherCommonNorOwnClusterGivesNoCluster() {
    InboundSignal signal =
        only(parse(webhookWithCommon("{\"team\":\"a\"}", "{\"alertname\":\"X\",\"pod\":\"p-1\"}")));

    assertThat(signal.clusterId()).isEmpty();
  }

  @Test
  void namespacedTargetsWithoutANamespaceLabelFallBackToDefaultAndNodesGetNone() {
    InboundSignal pod = only(parse(webhook("{\"alertname\":\"X\",\"pod\":\"p-1\"}")));
    InboundSignal node =
        only(parse(webhook("{\"alertname\":\"X\",\"node\":\"worker-1\",\"namespace\":\"demo\"}")));

    assertThat(pod.primaryTarget().namespace()).isEqualTo("default");
    assertThat(node.primaryTarget()).isEqualTo(new ResourceRef("Node", "worker-1", "", ""));
  }

  @Test
  void commonLabelsWinOverAlertLabelsAndClusterComesFromCommonLabels() {
    InboundSignal signal = only(parse(Fixtures.bytes("alertmanager/resolved-with-cluster.json")));

    assertThat(signal.clusterId()).isEqualTo("prod-eu");
    assertThat(signal.severity()).isEqualTo("warning");
    assertThat(signal.annotations()).containsEntry("runbook_url", "https://runbooks.example/node");
    assertThat(signal.primaryTarget()).isEqualTo(new ResourceRef("Node", "worker-1", "", ""));
  }

  @Test
  void anAlertsOwnStatusSaysWhetherItIsResolved() {
    assertThat(only(parse(Fixtures.bytes("alertmanager/resolved-with-cluster.json"))).resolved())
        .isTrue();
    assertThat(only(parse(Fixtures.bytes("alertmanager/firing-pod.json"))).resolved()).isFalse();
  }

  @Test
  void anAlertWithoutAStatusTakesTheWebhooksStatus() {
    String body =
        "{\"status\":\"resolved\",\"alerts\":[{\"labels\":{\"alertname\":\"X\",\"pod\":\"p-1\"}}]}";

    assertThat(only(parse(body.getBytes(StandardCharsets.UTF_8))).resolved()).isTrue();
  }

  @Test
  void alertmanagersWebhookHasNoOrigin() {
    assertThat(only(parse(Fixtures.bytes("alertmanager/firing-pod.json"))).origin()).isEmpty();
  }

  @Test
  void grafanasWebhookIsParsedWithItsOriginAndTheAlertmanagerSource() {
    InboundSignal signal = only(parse(Fixtures.bytes("grafana/firing-deployment.json")));

    assertThat(signal.origin()).isEqualTo("grafana");
    assertThat(signal.source()).isEqualTo("prometheus");
    assertThat(signal.resolved()).isFalse();
    assertThat(signal.name()).isEqualTo("CheckoutErrorRateHigh");
    assertThat(signal.severity()).isEqualTo("critical");
    assertThat(signal.firingTime()).isEqualTo(Instant.parse("2026-11-21T10:58:00Z"));
    assertThat(signal.primaryTarget())
        .isEqualTo(new ResourceRef("Deployment", "checkout", "demo", ""));
    assertThat(signal.labels()).containsEntry("grafana_folder", "Shop");
  }

  @Test
  void grafanasResolutionIsResolved() {
    InboundSignal signal = only(parse(Fixtures.bytes("grafana/resolved-deployment.json")));

    assertThat(signal.origin()).isEqualTo("grafana");
    assertThat(signal.resolved()).isTrue();
  }

  @Test
  void anOrgIdWithoutGrafanasVersionIsNotGrafana() {
    String body =
        "{\"version\":\"4\",\"orgId\":\"any\",\"alerts\":[{\"labels\":{\"alertname\":\"X\",\"pod\":\"p-1\"}}]}";

    assertThat(only(parse(body.getBytes(StandardCharsets.UTF_8))).origin()).isEmpty();
  }

  @Test
  void missingSeverityBecomesUnknownAndZeroStartsAtMeansReceivedTime() {
    InboundSignal signal =
        only(parse(webhook("{\"alertname\":\"X\",\"pod\":\"p-1\"}", "0001-01-01T00:00:00Z")));

    assertThat(signal.severity()).isEqualTo("unknown");
    assertThat(signal.firingTime()).isEqualTo(NOW);
  }

  @Test
  void anAlertWithoutAlertnameIsInvalidOnItsOwnWithoutSpoilingTheOthers() {
    List<ParsedSignal> parsed = parse(Fixtures.bytes("alertmanager/two-alerts-one-invalid.json"));

    assertThat(parsed).hasSize(2);
    assertThat(parsed.get(0)).isInstanceOf(ParsedSignal.Accepted.class);
    assertThat(parsed.get(1)).isEqualTo(new ParsedSignal.Invalid("alertname label is required"));
  }

  @Test
  void anUnparsableStartsAtIsInvalid() {
    assertThat(parse(webhook("{\"alertname\":\"X\",\"pod\":\"p\"}", "yesterday")).getFirst())
        .isInstanceOf(ParsedSignal.Invalid.class);
  }

  @Test
  void wrongTypesNameTheOffendingField() {
    assertThatThrownBy(() -> parse(Fixtures.bytes("alertmanager/wrong-types.json")))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("alerts[0].labels");
  }

  @Test
  void malformedJsonAndEmptyAlertsAreRejected() {
    assertThatThrownBy(() -> parse("{\"alerts\": [".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("malformed JSON");
    assertThatThrownBy(() -> parse("{\"alerts\": []}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessage("webhook contains no alerts");
    assertThatThrownBy(() -> parse("null".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidPayloadException.class);
  }

  private List<ParsedSignal> parse(byte[] body) {
    return SourceBodies.parse(adapter, body, NOW);
  }

  private static InboundSignal only(List<ParsedSignal> parsed) {
    assertThat(parsed).hasSize(1);
    return ((ParsedSignal.Accepted) parsed.getFirst()).signal();
  }

  private static byte[] webhookWithCommon(String commonLabels, String labels) {
    return ("{\"commonLabels\":"
            + commonLabels
            + ",\"alerts\":[{\"labels\":"
            + labels
            + ",\"startsAt\":\"2026-11-21T11:00:00Z\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The built-in kinds plus custom kinds whose label keys collide with sender labels. */
  private static final class KindsWithLookalikes implements ResourceKinds {
    private final BuiltInResourceKinds builtIn = new BuiltInResourceKinds();
    private final Map<String, ResourceKind> lookalikes =
        Map.of(
            "cluster", new ResourceKind("Cluster", "clusters", "postgresql.cnpg.io/v1", true, 2),
            "tenant", new ResourceKind("Tenant", "tenants", "capsule.clastix.io/v1beta2", false, 2),
            "application",
                new ResourceKind("Application", "applications", "argoproj.io/v1alpha1", true, 2));

    @Override
    public Optional<ResourceKind> forLabelKey(String labelKey) {
      return Optional.ofNullable(lookalikes.get(labelKey)).or(() -> builtIn.forLabelKey(labelKey));
    }

    @Override
    public Optional<ResourceKind> forKind(String kind) {
      return builtIn.forKind(kind);
    }

    @Override
    public List<ResourceKind> allForKind(String kind) {
      return builtIn.allForKind(kind);
    }
  }

  private static byte[] webhook(String labels) {
    return webhook(labels, "2026-11-21T11:00:00Z");
  }

  private static byte[] webhook(String labels, String startsAt) {
    return ("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":"
            + labels
            + ",\"annotations\":{},\"startsAt\":\""
            + startsAt
            + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
