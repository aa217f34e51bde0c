package dev.otelanalytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.testing.LogCapture;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** A throttled warning is attributed to the class that logged it, not to the wrapper. */
class ThrottledLoggerTest {
  private static final ThrottledLogger logger = ThrottledLogger.get(ThrottledLoggerTest.class);

  @Test
  void aRecordNamesTheOwningClassAsItsSource() {
    try (LogCapture logs = new LogCapture()) {
      logger.log(Level.WARNING, "otel-analytics: something to see");

      List<LogRecord> records = logs.records();
      assertThat(records).singleElement().satisfies(r -> {
        assertThat(r.getLoggerName()).isEqualTo(ThrottledLoggerTest.class.getName());
        assertThat(r.getSourceClassName()).isEqualTo(ThrottledLoggerTest.class.getName());
        // What the JDK's console handler prints on the line above the message.
        assertThat(new SimpleFormatter().format(r)).contains(ThrottledLoggerTest.class.getName())
            .doesNotContain("ThrottledLogger log");
      });
    }
  }
}
