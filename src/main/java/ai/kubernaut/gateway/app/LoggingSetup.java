package ai.kubernaut.gateway.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Applies the configured log level and format: JSON lines in a cluster, plain text locally. */
final class LoggingSetup {

  private LoggingSetup() {}

  static void apply(String level, boolean json) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    if (!json || root.getAppender("JSON") != null) {
      return;
    }
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setTimeZone("UTC");
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setName("JSON");
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    root.detachAppender("CONSOLE");
    root.addAppender(appender);
  }
}
