package dev.otelanalytics.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures java.util.logging records of the {@code dev.otelanalytics} loggers. */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.otelanalytics");
  private final Level previous;
  private final List<LogRecord> records = new ArrayList<>();

  public LogCapture() {
    previous = logger.getLevel();
    logger.setLevel(Level.ALL);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  /** Every record captured so far, oldest first. */
  public synchronized List<LogRecord> records() {
    return new ArrayList<>(records);
  }

  /** Messages at {@code level} or above. */
  public synchronized List<String> messages(Level level) {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      if (r.getLevel().intValue() >= level.intValue()) {
        out.add(r.getMessage());
      }
    }
    return out;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
