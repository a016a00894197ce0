package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.kubernaut.gateway.testing.GatewayHarness;
import ai.kubernaut.gateway.testing.MockCluster;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code logging.level} follows the configuration file while the gateway runs. */
class LogLevelReloadIT {

  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path dir;
  MockCluster cluster;
  GatewayHarness gateway;
  Level rootBefore;
  Level gatewayBefore;

  @BeforeEach
  void start() {
    rootBefore = logger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel();
    gatewayBefore = logger(LoggingSetup.GATEWAY_LOGGERS).getLevel();
    cluster = MockCluster.start();
    gateway =
        GatewayHarness.start(cluster, dir, "logging:\n  level: INFO\n  reloadInterval: 50ms\n");
  }

  @AfterEach
  void stop() {
    gateway.close();
    cluster.close();
    logger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(rootBefore);
    logger(LoggingSetup.GATEWAY_LOGGERS).setLevel(gatewayBefore);
  }

  @Test
  void aNewLevelInTheFileIsAppliedAndAudited() {
    gateway.replaceConfigFile(gateway.configFileWith("logging:\n  level: DEBUG\n"));

    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(logger(LoggingSetup.GATEWAY_LOGGERS).getLevel()).isEqualTo(Level.DEBUG);
              assertThat(configEvents())
                  .singleElement()
                  .satisfies(
                      e -> {
                        assertThat(e.path("event_type").asText())
                            .isEqualTo("gateway.config.reloaded");
                        assertThat(e.path("resource_id").asText()).isEqualTo("log_level");
                      });
            });
  }

  @Test
  void anInvalidLevelIsRejectedAndTheOldLevelKept() {
    Level before = logger(LoggingSetup.GATEWAY_LOGGERS).getEffectiveLevel();

    gateway.replaceConfigFile(gateway.configFileWith("logging:\n  level: LOUD\n"));

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(configEvents())
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.path("event_type").asText())
                              .isEqualTo("gateway.config.rejected");
                          assertThat(e.path("event_data").path("rejection_reason").asText())
                              .contains("logging.level");
                        }));
    assertThat(logger(LoggingSetup.GATEWAY_LOGGERS).getEffectiveLevel()).isEqualTo(before);
  }

  @Test
  void aFileThatIsNotYamlIsRejected() {
    gateway.replaceConfigFile("logging: [level: DEBUG\n");

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThat(configEvents())
                    .extracting(e -> e.path("event_type").asText())
                    .containsExactly("gateway.config.rejected"));
    assertThat(logger(LoggingSetup.GATEWAY_LOGGERS).getLevel()).isEqualTo(gatewayBefore);
  }

  private List<JsonNode> configEvents() {
    return gateway.auditEvents().stream()
        .filter(e -> e.path("event_type").asText().startsWith("gateway.config."))
        .toList();
  }

  private static Logger logger(String name) {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(name);
  }
}
