package dev.otelanalytics.internal.metrics;

import dev.otelanalytics.internal.FileTrust;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.UntrustedPathException;
import dev.otelanalytics.internal.state.StateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Keeps the open report window in {@code <state dir>/usage-window.json} (0600), so that it
 * survives restarts: a service restarted every hour still sends one complete daily report. Its
 * lock, window and kept-counts files are opened without following a link, and used only when they
 * are this user's own ({@link SecureFiles}).
 *
 * <p>Each {@link #update}, under a lock on {@code usage-window.lock} (so processes sharing a state
 * directory add into one window and only one of them sends its report):
 * <ol>
 *   <li>reads the window, and the counts that runs which could not have the lock in time kept in
 *       {@code usage-spill/} ({@link #keep});
 *   <li>lets the caller make the next window from them (adding counts, closing a due window into
 *       a report it keeps in the window, see {@link UsageWindow#reports()}) and replaces the file
 *       with it (temporary file, then rename), then deletes the kept-counts files it took. Their
 *       names stay in the window ({@link UsageWindow#taken()}) until they are gone, so a file a
 *       crash left behind is never added twice;
 *   <li>lets the caller hand the window's reports to delivery and, when it handed any over,
 *       writes the window without them.
 * </ol>
 * A window is thus reset in the same write that stores its report, and a report leaves the file
 * only once it is queued: a crash or a refusal in between loses nothing.
 *
 * <p>Every wait for a lock ends at the caller's deadline ({@link LockTimeoutException}: nothing
 * was read or written, the caller keeps its counts). After a wait that timed out, later updates
 * try the lock once without waiting, until they get it again: a stuck holder costs at most one
 * wait.
 *
 * <p>A file that cannot be read back is logged once and replaced by a new window. When the state
 * directory cannot be read or written, the window lives in memory for the rest of the run (logged
 * once): reports still go out, but a restart loses the open window. Whatever the file holds then
 * stays in the file for a later run, and is never also counted in memory, so no error path
 * counts a window twice.
 */
final class UsageWindowStore {
  /** A window file larger than this is not read (it cannot be one this code wrote). */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
  /** How often a lock held by another process is tried again while waiting. */
  private static final long LOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** A kept-counts file: {@code s-<16 hex digits>.json}. */
  private static final Pattern KEPT = Pattern.compile("s-[0-9a-f]{16}\\.json");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Its warnings come at most once per store each, so they need no throttling (and must not be throttled away). */
  private static final Logger logger = Logger.getLogger(UsageWindowStore.class.getName());
  /** One lock per window file in this JVM: a file lock cannot be taken twice by one JVM. */
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  /** Replaces a file whole (temporary file, then rename); tests make it fail. */
  interface Writer {
    void replace(Path file, byte[] content) throws IOException;
  }

  /** Makes the next window. */
  interface Change {
    /**
     * The next window from the stored one and the counts other runs kept for it. It must not
     * act on anything but its result: when the file cannot be written, it runs again on a new
     * window without kept counts (the file keeps what it holds for a later run).
     *
     * @return the next window, or {@code current} itself when nothing changed
     */
    UsageWindow apply(UsageWindow current, List<UsageWindow> kept);
  }

  /** The lock was not had before the deadline: nothing was read or written. */
  static final class LockTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    LockTimeoutException() {
      super("the usage-report window's lock was not had in time");
    }
  }

  private final Path directory;
  private final Path file;
  private final Path lockFile;
  private final Path keptDirectory;
  private final Writer writer;
  private boolean memoryOnly;
  private UsageWindow memory;
  private boolean corruptLogged;
  private boolean keptCorruptLogged;
  /** The file just read could not be parsed: replace it even if nothing changed. */
  private boolean replaceCorrupt;
  /** The last wait for a lock timed out and no lock was had since: try once, do not wait. */
  private boolean lockStuck;

  /** @param state the state directory; null keeps the window in memory only */
  UsageWindowStore(StateDirectory state) {
    this(state, SecureFiles::replace);
  }

  UsageWindowStore(StateDirectory state, Writer writer) {
    this.writer = writer;
    this.directory = state == null ? null : state.root();
    this.file = state == null ? null : state.usageWindowFile();
    this.lockFile = state == null ? null : state.usageWindowLockFile();
    this.keptDirectory = state == null ? null : state.usageSpillDirectory();
    this.memoryOnly = state == null;
  }

  /** The window file, or null when the window is kept in memory only. */
  Path file() {
    return memoryOnly ? null : file;
  }

  /**
   * Reads the window (a new one opening at {@code now} when there is none), stores what
   * {@code change} makes of it, then what {@code handOver} leaves of that (it runs once, under the
   * lock, and returns its argument when it handed nothing over), and returns the window stored.
   *
   * @param lockDeadline {@link System#nanoTime()} by which the lock must be had
   * @throws LockTimeoutException when it was not; nothing was read or written
   */
  synchronized UsageWindow update(Instant now, long lockDeadline, Change change, UnaryOperator<UsageWindow> handOver)
      throws LockTimeoutException {
    if (memoryOnly) {
      return inMemory(now, change, handOver);
    }
    ReentrantLock inThisJvm = LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new ReentrantLock());
    if (!lock(inThisJvm, lockDeadline)) {
      lockStuck = true;
      throw new LockTimeoutException();
    }
    try {
      FileChannel channel;
      FileLock lock;
      try {
        SecureFiles.createDirectories(directory);
        channel = SecureFiles.openForAppend(lockFile);
      } catch (IOException | UncheckedIOException | SecurityException e) {
        return fallBack(e, now, change, handOver);
      }
      try {
        lock = lock(channel, lockDeadline);
      } catch (IOException | UncheckedIOException | SecurityException e) {
        closeQuietly(channel);
        return fallBack(e, now, change, handOver);
      }
      if (lock == null) {
        closeQuietly(channel);
        lockStuck = true;
        throw new LockTimeoutException();
      }
      lockStuck = false;
      try {
        return locked(now, change, handOver);
      } finally {
        // Closing the channel releases the lock; a failure here changes nothing that was written.
        closeQuietly(channel);
      }
    } finally {
      inThisJvm.unlock();
    }
  }

  /**
   * Writes {@code counts} to a new file of its own in {@code usage-spill/}, without the lock (for a
   * run that could not have it in time); the next {@link #update} adds them to the window.
   *
   * @return the file written
   * @throws IOException when it could not be written (the counts are then lost)
   */
  Path keep(UsageWindow counts) throws IOException {
    if (keptDirectory == null) {
      throw new IOException("no state directory");
    }
    SecureFiles.createDirectories(keptDirectory);
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    StringBuilder name = new StringBuilder("s-");
    for (byte b : id) {
      name.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    Path target = keptDirectory.resolve(name.append(".json").toString());
    writer.replace(target, counts.toJson());
    return target;
  }

  /** Deletes the window and every kept-counts file ({@code telemetry clear}). */
  static void delete(StateDirectory state) throws IOException {
    Files.deleteIfExists(state.usageWindowFile());
    for (Path kept : keptFiles(state.usageSpillDirectory())) {
      Files.deleteIfExists(kept);
    }
  }

  private UsageWindow locked(Instant now, Change change, UnaryOperator<UsageWindow> handOver) {
    UsageWindow current;
    List<Path> keptFiles = new ArrayList<>();
    List<UsageWindow> kept = new ArrayList<>();
    Set<String> taken = new TreeSet<>();
    try {
      current = read(now);
      for (Path f : keptFiles(keptDirectory)) {
        String name = f.getFileName().toString();
        if (current.taken().contains(name)) {
          // Already in the window: a crash came between writing it and deleting this file.
          if (!deleteQuietly(f)) {
            taken.add(name);
          }
          continue;
        }
        UsageWindow counts = readKept(f);
        if (counts != null) {
          kept.add(counts);
          keptFiles.add(f);
          taken.add(name);
        }
      }
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return fallBack(e, now, change, handOver);
    }

    UsageWindow next = change.apply(current, Collections.unmodifiableList(kept));
    if (next != current || replaceCorrupt || !taken.equals(current.taken())) {
      next.setTaken(taken);
      try {
        writer.replace(file, next.toJson());
      } catch (IOException | UncheckedIOException | SecurityException e) {
        // The file keeps what it held, for a later run: none of it may be counted here as well.
        return fallBack(e, now, change, handOver);
      }
      replaceCorrupt = false;
      for (Path f : keptFiles) {
        // One that stays is named in the window's taken list: the next update deletes it.
        deleteQuietly(f);
      }
    }

    UsageWindow after = handOver.apply(next);
    if (after != next) {
      try {
        writer.replace(file, after.toJson());
      } catch (IOException | UncheckedIOException | SecurityException e) {
        // The file still lists the reports just handed over: a later run hands them over again,
        // with the same uuid and content (a resend, not a second count). Its counts stay there too.
        goMemoryOnly(e);
        memory = new UsageWindow(now);
        memory.setRemote(after.remote());
        memory.setResource(after.resource());
        return memory;
      }
    }
    return after;
  }

  private UsageWindow inMemory(Instant now, Change change, UnaryOperator<UsageWindow> handOver) {
    UsageWindow current = memory != null ? memory : new UsageWindow(now);
    memory = handOver.apply(change.apply(current, Collections.<UsageWindow>emptyList()));
    return memory;
  }

  /** From now on the window lives in memory, starting empty: what the file holds stays there. */
  private UsageWindow fallBack(Exception e, Instant now, Change change, UnaryOperator<UsageWindow> handOver) {
    goMemoryOnly(e);
    memory = null;
    return inMemory(now, change, handOver);
  }

  private void goMemoryOnly(Exception e) {
    memoryOnly = true;
    if (e instanceof UntrustedPathException) {
      // Its message is this project's own words: the path, what is wrong, the fix.
      logger.log(Level.WARNING, "otel-analytics: " + e.getMessage() + "; the usage-report window is kept in memory for this"
          + " run only");
      return;
    }
    logger.log(Level.WARNING, "otel-analytics: the usage-report window cannot be kept in " + LogText.path(directory)
        + " (" + e.getClass().getSimpleName() + "); it is kept in memory for this run only. Set OTEL_ANALYTICS_STATE_DIR"
        + " to a writable directory.");
  }

  private boolean lock(ReentrantLock lock, long deadline) {
    try {
      if (lock.tryLock()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      return !lockStuck && left > 0 && lock.tryLock(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The file lock, or null when another process still held it at {@code deadline}. */
  private FileLock lock(FileChannel channel, long deadline) throws IOException {
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held in this JVM through another path to the same file
      }
      if (lock != null) {
        return lock;
      }
      long left = deadline - System.nanoTime();
      if (lockStuck || left <= 0) {
        return null;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, LOCK_RETRY_NANOS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  private UsageWindow read(Instant now) throws IOException {
    byte[] bytes;
    try {
      bytes = readOwn(file);
    } catch (NoSuchFileException e) {
      return new UsageWindow(now);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      return corrupt(now, "larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
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

  /** The counts in a kept-counts file; null (the file deleted, logged once) when it cannot be read back. */
  private UsageWindow readKept(Path f) throws IOException {
    String problem;
    try {
      byte[] bytes = readOwn(f);
      if (bytes.length > MAX_FILE_BYTES) {
        problem = "larger than " + (MAX_FILE_BYTES >> 20) + " MiB";
      } else {
        return UsageWindow.parse(bytes);
      }
    } catch (NoSuchFileException e) {
      return null; // taken by another process meanwhile
    } catch (UsageWindow.CorruptWindowException e) {
      problem = e.getMessage();
    }
    deleteQuietly(f);
    if (!keptCorruptLogged) {
      keptCorruptLogged = true;
      logger.log(Level.WARNING, "otel-analytics: " + LogText.path(f) + " cannot be read back (" + problem
          + "); the usage-report counts it kept are ignored");
    }
    return null;
  }

  /**
   * Up to one byte more than {@link #MAX_FILE_BYTES} of {@code f}, read without following a link
   * and only when it is this user's own file ({@link SecureFiles#readOwnFile}).
   */
  private static byte[] readOwn(Path f) throws IOException {
    return SecureFiles.readOwnFile(f, FileTrust.Kind.FILE, (int) MAX_FILE_BYTES + 1);
  }

  /** The kept-counts files in {@code dir}; none when there is no such directory. */
  private static List<Path> keptFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path f : stream) {
        if (KEPT.matcher(f.getFileName().toString()).matches()) {
          files.add(f);
        }
      }
    } catch (NoSuchFileException e) {
      return files;
    }
    Collections.sort(files);
    return files;
  }

  private static boolean deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // The lock goes with the channel (or with the process) anyway.
    }
  }
}
