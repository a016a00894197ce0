package ai.kubernaut.gateway.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The plain-text log line, {@code %d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n} and the stack
 * trace of a logged exception, written by hand: logback's pattern layout defines some seventy
 * converters and a parser at start-up, a noticeable part of the first second.
 */
final class ConsoleLine extends LayoutBase<ILoggingEvent> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    String level = event.getLevel().toString();
    String logger = event.getLoggerName();
    StringBuilder line = new StringBuilder(128);
    TIME.formatTo(LocalTime.ofInstant(event.getInstant(), zone), line);
    line.append(' ').append(level);
    line.repeat(' ', Math.max(0, 5 - level.length()));
    line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length());
    line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown));
    }
    return line.toString();
  }
}
