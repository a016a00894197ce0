package ai.kubernaut.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.config.GatewayConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our image in kubernaut's Helm chart, through the example post-renderer: the chart's Deployment
 * (rendered by hand with default values, as a fixture) keeps its arguments, ports, probes and
 * environment, runs our image, and gets the writable directory the audit spool needs under the
 * chart's read-only root filesystem.
 */
class KubernautChartIT {

  private static final Path FIXTURES =
      RenderedManifests.PROJECT.resolve("src/test/resources/fixtures/helm");
  private static Container gateway;
  private static Deployment deployment;

  @BeforeAll
  static void render() throws Exception {
    assumeTrue(RenderedManifests.kubectl().isPresent(), "kubectl is not on the PATH");
    Process process =
        new ProcessBuilder(
                RenderedManifests.PROJECT
                    .resolve("deploy/examples/kubernaut-chart/post-render.sh")
                    .toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(Files.readAllBytes(FIXTURES.resolve("gateway-deployment.yaml")));
    }
    String rendered;
    try (InputStream out = process.getInputStream()) {
      rendered = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    deployment =
        RenderedManifests.load(rendered).stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    gateway = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void runsOurImageWithTheChartsArguments() {
    assertThat(gateway.getImage())
        .isEqualTo("registry.example.com/kubernaut/kubernaut-gateway:0.1.0");
    assertThat(gateway.getArgs()).containsExactly("--config=/etc/gateway/config.yaml");
    assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void theAuditSpoolHasAWritableDirectory() throws IOException {
    GatewayConfig config = chartConfig();
    Path spool = config.audit().spool().directory();

    Optional<VolumeMount> mount =
        gateway.getVolumeMounts().stream()
            .filter(m -> spool.startsWith(Path.of(m.getMountPath())))
            .findFirst();
    assertThat(mount).as("a volume holds %s", spool).isPresent();
    Volume volume =
        deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.get().getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getEmptyDir()).isNotNull();
    assertThat(mount.get().getReadOnly()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void theChartsPortsAndProbesMeetOurListeners() throws IOException {
    GatewayConfig.Server server = chartConfig().server();

    assertThat(gateway.getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("http", server.listenAddr().port()),
            org.assertj.core.groups.Tuple.tuple("health", server.healthAddr().port()),
            org.assertj.core.groups.Tuple.tuple("metrics", server.metricsAddr().port()));
    assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(gateway.getLivenessProbe().getHttpGet().getPort().getIntVal())
        .isEqualTo(server.healthAddr().port());
    assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(gateway.getReadinessProbe().getHttpGet().getPort().getIntVal())
        .isEqualTo(server.healthAddr().port());
    assertThat(gateway.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
  }

  private static GatewayConfig chartConfig() {
    Map<String, String> env =
        Map.of("POD_NAMESPACE", "kubernaut-system", "TLS_CA_FILE", "/etc/tls-ca/ca.crt");
    // The image's java.io.tmpdir is /tmp, as in this JVM on Linux.
    assertThat(System.getProperty("java.io.tmpdir")).isEqualTo("/tmp");
    return new ConfigLoader(env, null).load(Optional.of(FIXTURES.resolve("gateway-config.yaml")));
  }
}
