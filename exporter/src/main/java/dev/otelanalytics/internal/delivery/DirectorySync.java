package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.internal.ThrottledLogger;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;

/**
 * Puts a directory's entries on the device (an fsync of the directory), so that after a power cut
 * a file created in it or renamed into it is there under its new name, not only its content.
 *
 * <p>Where the operating system does not let a directory be opened as a file (Windows: the JDK
 * offers no way to sync a directory there) nothing is done, from the first refusal on, and that is
 * said once, at FINE. On macOS, as for files, an fsync hands the data to the drive, whose own cache
 * a power cut can still lose unless the JDK uses {@code F_FULLFSYNC} (JDK-8080589).
 */
final class DirectorySync {
  private static final ThrottledLogger logger = ThrottledLogger.get(DirectorySync.class);
  /** The operating system refused once: not tried again in this process. */
  private static volatile boolean refused;

  private DirectorySync() {}

  /** Syncs {@code directory}; false when it could not (refused here, or gone). Never throws. */
  static boolean sync(Path directory) {
    if (refused) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
      return true;
    } catch (NoSuchFileException e) {
      return false;   // deleted meanwhile (telemetry clear): nothing to keep
    } catch (IOException | RuntimeException e) {
      refused = true;
      logger.log(Level.FINE, "otel-analytics: directories cannot be synced here (" + Failures.describe(e)
          + "); after a power cut, a batch written just before it may be missing");
      return false;
    }
  }
}
