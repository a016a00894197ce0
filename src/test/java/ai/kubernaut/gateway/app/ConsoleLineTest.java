package ai.kubernaut.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleLineTest {

  private final LoggerContext context = new LoggerContext();

  @Test
  void linesAreTheOnesOfTheFormerPattern() {
    PatternLayout pattern = new PatternLayout();
    pattern.setContext(context);
    pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    pattern.start();
    ConsoleLine line = new ConsoleLine();
    line.setContext(context);
    line.start();

    IllegalStateException cause = new IllegalStateException("inner");
    cause.addSuppressed(new UnsupportedOperationException("suppressed"));
    List<LoggingEvent> events =
        List.of(
            event(Level.INFO, "ai.kubernaut.gateway.app.Main", "listening on {}", null, "8080"),
            event(Level.WARN, "io.fabric8.Client", "plain", null),
            event(
                Level.ERROR,
                "NoPackage",
                "failed",
                new UncheckedIOException("outer", new IOException("disk"))),
            event(
                Level.DEBUG,
                "a.b.C",
                "with cause",
                new RuntimeException("wrapped", cause),
                new Object[0]));

    for (LoggingEvent event : events) {
      assertThat(line.doLayout(event)).isEqualTo(pattern.doLayout(event));
    }
  }

  private LoggingEvent event(
      Level level, String logger, String message, Throwable thrown, Object... arguments) {
    Logger named = context.getLogger(logger);
    LoggingEvent event =
        new LoggingEvent(Logger.class.getName(), named, level, message, thrown, arguments);
    event.setInstant(Instant.parse("2026-12-06T08:21:07.042Z"));
    return event;
  }
}
