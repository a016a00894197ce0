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

  /** The gateway's own loggers; their level follows {@code logging.level} with the root's. */
  static final String GATEWAY_LOGGERS = "ai.kubernaut.gateway";

  static void apply(String level, boolean json) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    level(level);
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

  /** Sets the root's and the gateway's log level; a level logback does not know means INFO. */
  static void level(String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Level parsed = Level.toLevel(level, Level.INFO);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(parsed);
    context.getLogger(GATEWAY_LOGGERS).setLevel(parsed);
  }
}
