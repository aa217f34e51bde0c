package dev.otelanalytics.internal;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link java.util.logging.Logger} wrapper that lets through at most a few messages a minute,
 * so that a broken destination or a misbehaving app can never flood the host's log.
 *
 * <p>Callers must never pass event content, attribute values or secrets: only counts, setting
 * names and exception classes.
 */
public final class ThrottledLogger {
  private static final int MAX_PER_WINDOW = 5;
  private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger delegate;
  private long windowStart = System.nanoTime();
  private int loggedInWindow;
  private int suppressedInWindow;

  public ThrottledLogger(Logger delegate) {
    this.delegate = delegate;
  }

  public static ThrottledLogger get(Class<?> owner) {
    return new ThrottledLogger(Logger.getLogger(owner.getName()));
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
      delegate.log(level, suppressedNote);
    }
    delegate.log(level, message);
  }

  public boolean isLoggable(Level level) {
    return delegate.isLoggable(level);
  }
}
