package dev.otelanalytics.internal.delivery;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The warning for a "stop" answer (a refused key, a wrong endpoint): the one problem a person
 * must fix before anything is delivered. It is never throttled, it is given once per process for
 * each destination configuration and reason, and it is seen even while the JVM exits.
 *
 * <p>Why the last point needs care: a CLI that leaves the SDK to its shutdown hook only flushes,
 * and so only hears PostHog's answer, while the JVM exits; java.util.logging's own shutdown hook
 * ({@code LogManager}'s cleaner) removes every handler at that moment, so a record logged then is
 * published nowhere. When no handler would publish the record, the line goes to standard error.
 */
final class StopWarning {
  private static final Logger logger = Logger.getLogger(OutboxSender.class.getName());
  private static final Set<String> GIVEN = ConcurrentHashMap.newKeySet();

  private StopWarning() {}

  /**
   * Logs {@code message} at WARNING, once per process for {@code once}.
   *
   * @param once what makes two warnings the same: the destination's configuration and the reason
   * @param message the warning; never a key or event content
   */
  static void give(String once, String message) {
    give(logger, System.err, once, message);
  }

  /** As {@link #give(String, String)}, through {@code to}, falling back to {@code fallback}. */
  static void give(Logger to, PrintStream fallback, String once, String message) {
    if (!GIVEN.add(once) || !to.isLoggable(Level.WARNING)) {
      return;
    }
    if (hasHandler(to)) {
      to.logp(Level.WARNING, OutboxSender.class.getName(), null, message);
    } else {
      fallback.println("WARNING: " + message);
      fallback.flush();
    }
  }

  /** True when a handler of {@code logger} or of a parent it passes records to is left. */
  private static boolean hasHandler(Logger logger) {
    for (Logger l = logger; l != null; l = l.getUseParentHandlers() ? l.getParent() : null) {
      if (l.getHandlers().length > 0) {
        return true;
      }
    }
    return false;
  }
}
