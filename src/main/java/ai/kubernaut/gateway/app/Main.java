package ai.kubernaut.gateway.app;

import ai.kubernaut.gateway.config.ConfigException;
import ai.kubernaut.gateway.config.ConfigLoader;
import ai.kubernaut.gateway.config.GatewayConfig;
import ai.kubernaut.gateway.embedded.EmbeddedCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code java -jar kubernaut-gateway.jar [--config FILE] [--kubeconfig FILE]
 * [--embedded]}.
 */
@Command(
    name = "kubernaut-gateway",
    mixinStandardHelpOptions = true,
    description =
        "Turns Alertmanager webhooks and Kubernetes Events into RemediationRequests. Without a"
            + " cluster it starts an embedded in-memory Kubernetes API.")
public final class Main implements Callable<Integer> {

  static final int EXIT_CONFIG = 2;
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
  Path configFile;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "kubeconfig to use instead of KUBECONFIG or ~/.kube/config")
  Path kubeconfig;

  @Option(names = "--embedded", description = "run against an embedded in-memory Kubernetes API")
  boolean embedded;

  public static void main(String[] args) {
    // Netty (inside the fabric8 client) would otherwise use sun.misc.Unsafe, which JDK 24+ warns
    // about.
    System.setProperty("io.netty.noUnsafe", System.getProperty("io.netty.noUnsafe", "true"));
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new Main());
    int exit = cli.execute(args);
    if (exit != 0 || cli.isUsageHelpRequested() || cli.isVersionHelpRequested()) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig config;
    try {
      config = ConfigLoader.fromEnvironment().load(Optional.ofNullable(configFile));
    } catch (ConfigException e) {
      PrintWriter err = new PrintWriter(System.err, true);
      e.problems().forEach(err::println);
      return EXIT_CONFIG;
    }
    Optional<String> source =
        ClusterConnection.configuredSource(
            embedded,
            Optional.ofNullable(kubeconfig),
            System.getenv(),
            Path.of(System.getProperty("user.home")));
    boolean jsonLogs =
        config.logging().format().equals("json")
            || (config.logging().format().equals("auto") && source.isPresent());
    LoggingSetup.apply(config.logging().level(), jsonLogs);

    ClusterConnection cluster = connect(config, source);
    if (cluster.embeddedCluster().isPresent()) {
      config = config.forEmbeddedMode();
    }
    // In embedded mode the demo objects are being created while the gateway builds itself; the
    // gateway's requests wait for them, so its caches sync on the seeded cluster.
    GatewayApp app = GatewayApp.start(config, cluster.client(), Clock.systemUTC());
    cluster
        .embeddedCluster()
        .ifPresent(
            e -> {
              e.awaitSeeded();
              EmbeddedModeBanner.print(e, app);
            });

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("graceful-shutdown")
                .unstarted(
                    () -> {
                      log.info("shutting down: readiness is now 503, finishing in-flight requests");
                      app.close();
                      cluster.close();
                      log.info("stopped");
                      stopped.countDown();
                      // The JVM reports 143 for SIGTERM; a completed graceful stop is a clean exit.
                      Runtime.getRuntime().halt(0);
                    }));
    stopped.await();
    return 0;
  }

  private static ClusterConnection connect(GatewayConfig config, Optional<String> source) {
    if (source.isPresent()) {
      log.info("using Kubernetes API from {}", source.get());
      return ClusterConnection.connect(
          source.get(),
          config.server().k8sPerRequestTimeout(),
          config.server().k8sConnectTimeout());
    }
    log.warn(
        "EMBEDDED MODE: no cluster configured (no in-cluster service account, --kubeconfig,"
            + " KUBECONFIG or ~/.kube/config); starting an in-memory Kubernetes API");
    log.warn("EMBEDDED MODE: sender authentication is off; do not expose this process");
    return ClusterConnection.embedded(
        EmbeddedCluster.start(
            config.embedded().apiPort(),
            config.identity().controllerNamespace(),
            config.embedded().kubeconfig()));
  }
}
