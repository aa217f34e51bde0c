package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.ThrottledLogger;
import java.nio.file.FileSystemException;
import java.util.logging.Level;

/** How delivery describes a failure in a log line (never event content), and closes a destination quietly. */
final class Failures {
  private static final ThrottledLogger logger = ThrottledLogger.get(Failures.class);

  private Failures() {}

  /** The exception class, plus the file for file-system errors; never event content. */
  static String describe(Throwable e) {
    if (e instanceof FileSystemException) {
      FileSystemException fse = (FileSystemException) e;
      return e.getClass().getSimpleName() + ": " + LogText.path(fse.getFile())
          + (fse.getReason() == null ? "" : " (" + fse.getReason() + ")");
    }
    return e.getClass().getName();
  }

  static void close(Destination destination) {
    try {
      destination.close();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      logger.log(Level.FINE, "otel-analytics: closing the " + destination.name() + " destination failed (" + describe(e) + ")");
    }
  }
}
