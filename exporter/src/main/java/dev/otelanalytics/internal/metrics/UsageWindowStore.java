package dev.otelanalytics.internal.metrics;

import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the open report window in {@code <state dir>/usage-window.json} (0600), so that it
 * survives restarts: a service restarted every hour still sends one complete daily report.
 *
 * <p>Each {@link #update} reads the file, lets the caller add its counts (and close the window
 * when it is due), and replaces the file atomically (temporary file, then rename), all under a
 * lock on {@code usage-window.lock}. Processes sharing a state directory therefore add into one
 * window and never lose each other's counts, and only one of them sends its report.
 *
 * <p>A file that cannot be read back is logged once and replaced by a new window. When the state
 * directory cannot be used at all, the window lives in memory for the rest of the run (logged
 * once): reports still go out, but a restart loses the open window.
 */
final class UsageWindowStore {
  /** A window file larger than this is not read (it cannot be one this code wrote). */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  /** Its two warnings come at most once per store each, so they need no throttling (and must not be throttled away). */
  private static final Logger logger = Logger.getLogger(UsageWindowStore.class.getName());
  /** One monitor per window file in this JVM: a file lock cannot be taken twice by one JVM. */
  private static final ConcurrentMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Path file;
  private final Path lockFile;
  private boolean memoryOnly;
  private UsageWindow memory;
  private boolean corruptLogged;
  /** The file just read could not be parsed: replace it even if nothing changed. */
  private boolean replaceCorrupt;

  /** @param state the state directory; null keeps the window in memory only */
  UsageWindowStore(StateDirectory state) {
    this.directory = state == null ? null : state.root();
    this.file = state == null ? null : state.usageWindowFile();
    this.lockFile = state == null ? null : state.usageWindowLockFile();
    this.memoryOnly = state == null;
  }

  /** The window file, or null when the window is kept in memory only. */
  Path file() {
    return memoryOnly ? null : file;
  }

  /**
   * Reads the window (a new one opening at {@code now} when there is none), replaces it by what
   * {@code change} returns, and returns that. {@code change} runs exactly once; returning its
   * argument unchanged means nothing needs writing.
   */
  synchronized UsageWindow update(Instant now, UnaryOperator<UsageWindow> change) {
    if (memoryOnly) {
      return inMemory(now, change);
    }
    synchronized (MONITORS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Object())) {
      UsageWindow next = null;
      try {
        SecureFiles.createDirectories(directory);
        try (FileChannel channel = SecureFiles.openForAppend(lockFile);
            FileLock lock = channel.lock()) {
          UsageWindow current = read(now);
          next = change.apply(current);
          if (next != current || replaceCorrupt) {
            SecureFiles.replace(file, next.toJson());
            replaceCorrupt = false;
          }
          return next;
        }
      } catch (IOException | UncheckedIOException | OverlappingFileLockException | SecurityException e) {
        memoryOnly = true;
        logger.log(Level.WARNING, "otel-analytics: the usage-report window cannot be kept in " + LogText.path(directory)
            + " (" + e.getClass().getSimpleName() + "); it is kept in memory for this run only. Set OTEL_ANALYTICS_STATE_DIR"
            + " to a writable directory.");
        if (next != null) {
          memory = next;
          return next;
        }
        return inMemory(now, change);
      }
    }
  }

  private UsageWindow inMemory(Instant now, UnaryOperator<UsageWindow> change) {
    UsageWindow current = memory != null ? memory : new UsageWindow(now);
    memory = change.apply(current);
    return memory;
  }

  private UsageWindow read(Instant now) throws IOException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        return corrupt(now, "larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new UsageWindow(now);
    }
    try {
      return UsageWindow.parse(bytes);
    } catch (UsageWindow.CorruptWindowException e) {
      return corrupt(now, e.getMessage());
    }
  }

  private UsageWindow corrupt(Instant now, String problem) {
    replaceCorrupt = true;
    if (!corruptLogged) {
      corruptLogged = true;
      // The problem is this code's own words, never the file's content.
      logger.log(Level.WARNING, "otel-analytics: " + LogText.path(file) + " cannot be read back (" + problem
          + "); its counts are ignored and a new usage-report window starts");
    }
    return new UsageWindow(now);
  }
}
