package ai.kubernaut.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SecurityEventsTest {

  @Test
  void aFloodOfRefusalsLogsABoundedNumberOfLines() {
    Logger logger = (Logger) LoggerFactory.getLogger(SecurityEvents.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      for (int i = 0; i < 10_000; i++) {
        SecurityEvents.rejected("flood_test", "127.0.0.1", "req-" + i, "");
      }
    } finally {
      logger.detachAppender(lines);
    }

    // twice the per-second budget, plus what refills while the loop runs
    assertThat(lines.list).hasSizeBetween(1, 3 * SecurityEvents.LINES_PER_SECOND);
  }
}
