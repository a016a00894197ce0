package ai.kubernaut.gateway.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The gateway's logging defaults, set up in code: parsing an XML configuration costs a tenth of the
 * embedded start. A {@code logback-test.xml} or {@code -Dlogback.configurationFile} still wins.
 * {@link LoggingSetup} then applies the configured level and format.
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {

  private static final Map<String, Level> QUIET_LIBRARIES =
      Map.of(
          "io.fabric8.kubernetes.client.informers", Level.WARN,
          "io.fabric8.mockwebserver", Level.WARN,
          "io.fabric8.kubernetes.client.server.mock", Level.WARN,
          "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR,
          "io.helidon", Level.WARN,
          "io.vertx", Level.WARN,
          "io.netty", Level.WARN);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || DefaultLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LevelChangePropagator julLevels = new LevelChangePropagator();
    julLevels.setContext(context);
    julLevels.setResetJUL(true);
    julLevels.start();
    context.addListener(julLevels);

    ConsoleLine layout = new ConsoleLine();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("CONSOLE");
    console.setContext(context);
    console.setEncoder(encoder);
    console.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    QUIET_LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
