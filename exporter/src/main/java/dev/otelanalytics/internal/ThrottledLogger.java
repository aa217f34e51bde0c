package dev.otelanalytics.internal;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link java.util.logging.Logger} wrapper that lets through at most a few messages a minute,
 * so that a broken destination or a misbehaving app can never flood the host's log.
 *
 * <p>Each record names the class that owns this logger as its source (through
 * {@link Logger#logp}), so a log line says which class logged it, not this wrapper.
 *
 * <p>Callers must never pass event content, attribute values or secrets: only counts, setting
 * names and exception classes.
 */
public final class ThrottledLogger {
  private static final int MAX_PER_WINDOW = 5;
  private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger delegate;
  private final String sourceClass;
  private long windowStart = System.nanoTime();
  private int loggedInWindow;
  private int suppressedInWindow;

  /**
   * @param delegate where the records go
   * @param sourceClass the class named as every record's source
   */
  public ThrottledLogger(Logger delegate, String sourceClass) {
    this.delegate = delegate;
    this.sourceClass = sourceClass;
  }

  /** A logger named after {@code owner}, naming {@code owner} as the source of what it logs. */
  public static ThrottledLogger get(Class<?> owner) {
    return new ThrottledLogger(Logger.getLogger(owner.getName()), owner.getName());
  }

  public void log(Level level, String message) {
    if (!delegate.isLoggable(level)) {
      return;
    }
    String suppressedNote = null;
    synchronized (this) {
      long now = System.nanoTime();
      if (now - windowStart >= WINDOW_NANOS) {
        if (suppressedInWindow > 0) {
          suppressedNote = "otel-analytics: " + suppressedInWindow + " similar log messages were suppressed in the last minute";
        }
        windowStart = now;
        loggedInWindow = 0;
        suppressedInWindow = 0;
      }
      if (loggedInWindow >= MAX_PER_WINDOW) {
        suppressedInWindow++;
        return;
      }
      loggedInWindow++;
    }
    if (suppressedNote != null) {
      delegate.logp(level, sourceClass, null, suppressedNote);
    }
    delegate.logp(level, sourceClass, null, message);
  }

  public boolean isLoggable(Level level) {
    return delegate.isLoggable(level);
  }
}
