package dev.otelanalytics.internal.delivery;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.LogText;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.ThrottledLogger;
import dev.otelanalytics.internal.event.EventJson;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Level;

/**
 * Scrubbed events waiting for a remote destination, on disk, so that a crash, an outage or a
 * CLI that exits at once loses nothing: the next run sends what is left.
 *
 * <p>Each batch is one file, {@code b-<stamp>-<seq>-<owner>.jsonl} ({@link BatchName}); the stamp
 * orders batches as they were made, whatever the wall clock does ({@link BatchStamps}). The worker appends
 * events to the open batch, {@code .open}, as soon as it has them (see {@link #append}), and
 * renames it {@code .jsonl} once the batch is complete; batches made whole at once (the parts of
 * a split) are written to a temporary name and renamed into place. While its owner sends a
 * batch, it is renamed {@code .sending}; it is deleted once the destination acknowledged it.
 * Files are 0600 in a 0700 directory. A batch is forced to the disk when it is sealed, or before
 * it is renamed into place, and the directory is synced after the rename ({@link Disk}), so a
 * power cut can take the open batch but no sealed one; an empty batch file, what it leaves, is
 * counted.
 *
 * <p>Several processes may share one outbox, and several outboxes one process (two copies of this
 * library in two class loaders among them). Each holds a lock on its own {@code owner-<id>.lock}
 * for as long as it runs ({@link OwnerLock}) and only ever sends its own files. Files whose
 * owner's lock is free belong to a process that has exited or crashed; a process takes them over
 * by renaming them to its own name, which only one can do. The total size is bounded: when a
 * new batch would not fit, the oldest waiting files are deleted and their events counted as
 * dropped. A file being sent ({@code .sending}) is never deleted to make room, and a file is
 * renamed to a private name before it is counted and deleted, so that when several processes
 * make room at once each event is counted once, and never also delivered.
 *
 * <p>A file named like a batch that cannot be read as one (a directory, a FIFO, a link, a file
 * of another user, one larger than any batch, one that fails to read three times) is set aside:
 * renamed {@code unreadable-<name>}, counted, logged, and never read again, so that it cannot hold
 * back the batches behind it. Its type is checked before it is opened, so a FIFO never blocks the
 * reader. A file shaped like a batch whose name no version wrote is set aside too. Set-aside files
 * are left for a person to look at; they do not count against the bound. What owners that ended
 * leave besides batches (lock and temporary files) is removed by the next take-over
 * ({@link OutboxLeftovers}).
 */
public final class Outbox implements BatchStore {
  /** The name prefix of a file set aside as unreadable: never read again, deleted by {@code telemetry clear}. */
  public static final String SET_ASIDE_PREFIX = "unreadable-";

  private static final ThrottledLogger logger = ThrottledLogger.get(Outbox.class);
  private static final String WAITING = ".jsonl";
  private static final String SENDING = ".sending";
  private static final String OPEN = ".open";
  /** How stale what the outbox knows of other processes' files may be when it only checks the bound. */
  private static final long RESCAN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** How stale it may be when it is about to drop a batch to make room (another process may have sent some meanwhile). */
  private static final long RESCAN_BEFORE_DROP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Reads of one batch file that may fail (other than for its type or permissions) before it is set aside. */
  static final int READ_ATTEMPTS = 3;
  /** A batch file larger than this is not read (a batch is at most a few MB; PostHog takes 20 MB a request). */
  private static final long MAX_READABLE_BYTES = 64L * 1024 * 1024;

  /**
   * Writes bytes to a batch file. The real one writes them all to the channel; tests stand in a
   * disk that is full, read-only or hung.
   */
  @FunctionalInterface
  public interface Disk {
    Disk REAL = (channel, file, content) -> {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    };

    void write(FileChannel channel, Path file, byte[] content) throws IOException;

    /**
     * Puts what was written to {@code file} through {@code channel} on the device, so that a power
     * cut cannot take it back (fdatasync: the content and the size).
     */
    default void force(FileChannel channel, Path file) throws IOException {
      channel.force(false);
    }

    /**
     * Puts the names in {@code directory} (of files created in it or renamed into it) on the
     * device; nothing where the operating system cannot ({@link DirectorySync}).
     */
    default void syncDirectory(Path directory) {
      DirectorySync.sync(directory);
    }
  }

  private final Path directory;
  private final long maxBytes;
  private final Disk disk;
  /** Stamps for new batch names, from the wall clock but in the order the batches are made. */
  private final BatchStamps stamps;
  private final String owner;
  private final DeliveryCounters counters;
  private final OwnerLock ownerLock;
  /** Batches this process is sending now. Guarded by {@code this}. */
  private final Set<Entry> claimed = new HashSet<>();
  /** Failed reads of a batch, until it is set aside at {@link #READ_ATTEMPTS}. Guarded by {@code this}. */
  private final Map<Entry, Integer> readFailures = new HashMap<>();
  /**
   * Bytes of every owner's batch files: as of the last look at the directory, plus this
   * process's own writes and deletions since. Guarded by {@code this}.
   */
  private long knownBytes;
  /** Waiting files of every owner, oldest first, from the last look: what making room drops. Guarded by {@code this}. */
  private final ArrayDeque<Path> dropCandidates = new ArrayDeque<>();
  /** When the directory was last looked at; 0 for never. Guarded by {@code this}. */
  private long lastScanNanos;
  /** The open batch ({@code .open}), appended to by the worker until it is sealed. Guarded by {@code this}. */
  private Path openFile;
  /** Volatile: {@link #close()} closes it without the lock, cutting off a write that hangs. */
  private volatile FileChannel openChannel;
  /** Closed: every write and claim fails, so nothing is written once the lock is released. */
  private volatile boolean closed;
  private long openBytes;
  /** The events written to the open file, in order; kept for {@link #recent} when it is sealed. */
  private List<AnalyticsEvent> openEvents = new ArrayList<>();
  private final RecentBatches recent = new RecentBatches();
  /** An empty batch file was logged: later ones are only counted. */
  private final AtomicBoolean emptyLogged = new AtomicBoolean();
  /** For that one line: the class's budget may be spent on the corrupt lines the same power cut left. */
  private final ThrottledLogger emptyLogger = ThrottledLogger.get(Outbox.class);
  private long sequence;

  private Outbox(Path directory, long maxBytes, Disk disk, LongSupplier wallClock, OwnerLock ownerLock, DeliveryCounters counters) {
    this.directory = directory;
    this.disk = disk;
    this.stamps = new BatchStamps(wallClock);
    this.maxBytes = maxBytes;
    this.owner = ownerLock.id();
    this.ownerLock = ownerLock;
    this.counters = counters;
  }

  /** Opens (creating) the outbox in {@code directory} and registers this process as an owner. */
  public static Outbox open(Path directory, long maxBytes, DeliveryCounters counters) throws IOException {
    return open(directory, maxBytes, counters, Disk.REAL);
  }

  /** As {@link #open(Path, long, DeliveryCounters)}, writing batch files through {@code disk}. */
  public static Outbox open(Path directory, long maxBytes, DeliveryCounters counters, Disk disk) throws IOException {
    return open(directory, maxBytes, counters, disk, System::currentTimeMillis);
  }

  /** As {@link #open(Path, long, DeliveryCounters, Disk)}, reading the time from {@code wallClock} (milliseconds since 1970). */
  public static Outbox open(Path directory, long maxBytes, DeliveryCounters counters, Disk disk, LongSupplier wallClock)
      throws IOException {
    SecureFiles.createDirectories(directory);
    return new Outbox(directory, maxBytes, disk, wallClock, OwnerLock.acquire(directory), counters);
  }

  /** One batch file of this process; the same batch whether it waits, is being sent or is still open. */
  public static final class Entry implements Batch {
    /** The file while it waits ({@code .jsonl}). */
    final Path file;

    Entry(Path file) {
      String name = file.getFileName().toString();
      this.file = file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + WAITING);
    }

    private Path as(String suffix) {
      String name = file.getFileName().toString();
      return file.resolveSibling(name.substring(0, name.length() - WAITING.length()) + suffix);
    }

    /** The file while it is being sent. */
    Path sending() {
      return as(SENDING);
    }

    /** The file while it is open: written to, not yet complete. */
    Path open() {
      return as(OPEN);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry && ((Entry) o).file.equals(file);
    }

    @Override
    public int hashCode() {
      return file.hashCode();
    }

    @Override
    public String toString() {
      return file.getFileName().toString();
    }
  }

  /**
   * Appends {@code events} to the open batch file ({@code .open}), creating it, so that they are
   * in the file at once, safe from a kill (from a power cut once sealed, see {@link #seal}); then
   * makes room as {@link #add} does. A write that fails is cut back off, so
   * the file keeps whole lines; should the process die in the middle of one, the next run counts
   * the cut line as corrupt. The open file is never dropped to make room, and a run that takes
   * over the batches of a run that ended takes its open file too.
   */
  @Override
  public void append(List<AnalyticsEvent> events) throws IOException {
    checkOpen();   // before the lock: a closed outbox never waits for a write that hangs
    appendOpen(events);
  }

  private synchronized void appendOpen(List<AnalyticsEvent> events) throws IOException {
    checkOpen();
    byte[] content = EventJson.toJsonLines(events);
    if (openChannel == null) {
      Path file = new Entry(newName()).open();
      openChannel = SecureFiles.openForAppend(file);
      openFile = file;
      openBytes = 0;
    }
    try {
      disk.write(openChannel, openFile, content);
      openBytes += content.length;
      knownBytes += content.length;
      openEvents.addAll(events);
    } catch (IOException | RuntimeException e) {
      try {
        openChannel.truncate(openBytes);
      } catch (IOException | RuntimeException cut) {
        // The next run counts the cut line as corrupt.
      }
      if (openBytes == 0) {
        closeOpenFile(true);
      }
      if (closed) {
        throw new ClosedException();   // cut off by close(): not a disk to fall back from
      }
      throw e;
    }
    makeRoomFor(0);
  }

  /**
   * The open batch is complete: forced to the disk, renamed {@code .jsonl} and the name synced, it
   * waits to be sent. Appends are not synced one by one, only here: a sync per batch, not up to ten
   * a second while events trickle in (BENCHMARKS.md has both costs), so a power cut may lose the
   * open batch, as docs/delivery.md says.
   */
  @Override
  public synchronized void seal() throws IOException {
    Path file = openFile;
    if (file == null || closed) {
      return;   // closed: the open file is the next run's to take over
    }
    force(openChannel, file);
    long bytes = openBytes;
    List<AnalyticsEvent> events = openEvents;
    closeOpenFile(false);
    Entry entry = new Entry(file);
    try {
      Files.move(file, entry.file, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;   // cleared meanwhile (telemetry clear)
    }
    recent.put(entry, events, bytes);
    disk.syncDirectory(directory);
  }

  /**
   * Puts what was written to {@code file} on the disk. A failure is logged, not thrown: the batch
   * is stored and readable, only a power cut may take it back, which is better than keeping it in
   * memory only (or never sealing it).
   */
  private void force(FileChannel channel, Path file) {
    try {
      disk.force(channel, file);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "otel-analytics: could not sync outbox file " + LogText.path(file) + " to the disk ("
          + Failures.describe(e) + "); a power cut may lose it");
    }
  }

  private void closeOpenFile(boolean delete) {
    Path file = openFile;
    FileChannel channel = openChannel;
    openFile = null;
    openChannel = null;
    openEvents = new ArrayList<>();
    try {
      channel.close();
      if (delete) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // A file left open is taken over and sent by the next run.
    }
  }

  /** Writes {@code events} as a new batch, then makes room by dropping the oldest batches if needed. */
  @Override
  public Entry add(List<AnalyticsEvent> events) throws IOException {
    checkOpen();   // before the lock, as for append
    synchronized (this) {
      checkOpen();
      return write(events, true);
    }
  }

  /** Thrown once the outbox is closed: no write may follow the release of its lock. */
  static final class ClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    ClosedException() {
      super("the outbox is closed");
    }
  }

  private void checkOpen() throws ClosedException {
    if (closed) {
      throw new ClosedException();
    }
  }

  /**
   * Writes the batch to a temporary file first: only once its bytes are on disk are old batches
   * deleted to make room, so a full or read-only disk never costs the batches already there.
   */
  private Entry write(List<AnalyticsEvent> events, boolean makeRoom) throws IOException {
    byte[] content = EventJson.toJsonLines(events);
    Path target = newName();
    Path temp = Files.createTempFile(directory, OutboxLeftovers.writePrefix(owner), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        disk.write(channel, temp, content);
        force(channel, temp);   // on the disk before it has the name a power cut must not leave empty
      }
      if (makeRoom) {
        makeRoomFor(content.length);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      knownBytes += content.length;
      disk.syncDirectory(directory);
    } finally {
      Files.deleteIfExists(temp);
    }
    return new Entry(target);
  }

  /**
   * This process's batches (its own and those it took over) that it is not sending now, oldest
   * first, except the open one. A {@code .sending} file it no longer sends (renaming it back
   * failed) and an {@code .open} one it could not seal are listed too.
   */
  @Override
  public synchronized List<Entry> pending() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Path file : batchFiles()) {
      if (BatchName.of(file).owner.equals(owner) && !file.equals(openFile)) {
        Entry entry = new Entry(file);
        if (!claimed.contains(entry)) {
          out.add(entry);
        }
      }
    }
    return out;
  }

  /**
   * The events of {@code entry}; a corrupt or truncated line is skipped and counted. Returns an
   * empty list when the file has gone (another process made room by deleting it).
   */
  @Override
  public List<AnalyticsEvent> read(Batch batch) throws IOException {
    Entry entry = (Entry) batch;
    List<AnalyticsEvent> events = readFile(entry.file);
    if (events == null) {
      events = readFile(entry.sending());
    }
    return events == null ? Collections.<AnalyticsEvent>emptyList() : events;
  }

  /**
   * Claims and reads a batch. A file that cannot be read as a batch is set aside (see the class
   * comment) and an empty list returned; a read that fails otherwise puts the batch back and
   * throws, until the batch is set aside at the {@link #READ_ATTEMPTS}th failure.
   */
  @Override
  public List<AnalyticsEvent> claim(Batch batch) throws IOException {
    checkOpen();
    Entry entry = (Entry) batch;
    synchronized (this) {
      if (!moveIfThere(entry.file, entry.sending()) && !moveIfThere(entry.open(), entry.sending())
          && !Files.exists(entry.sending(), LinkOption.NOFOLLOW_LINKS)) {
        // Gone: made room for by another process, or cleared.
        return Collections.emptyList();
      }
      claimed.add(entry);
    }
    int[] corrupt = new int[1];
    List<AnalyticsEvent> events;
    boolean empty;
    try {
      String unreadable = unreadableBecause(entry.sending());
      if (unreadable != null) {
        setAside(entry, unreadable);
        return Collections.emptyList();
      }
      long size = sizeOf(entry.sending());
      RecentBatches.Sealed sealed = recent.take(entry);
      if (sealed != null && sealed.bytes == size) {
        return sealed.events;   // the file is as this process sealed it a moment ago
      }
      empty = size == 0;
      events = readFile(entry.sending(), corrupt);
    } catch (AccessDeniedException e) {
      setAside(entry, "no permission to read it");
      return Collections.emptyList();
    } catch (IOException e) {
      int failures;
      synchronized (this) {
        failures = readFailures.merge(entry, 1, Integer::sum);
      }
      if (failures >= READ_ATTEMPTS) {
        setAside(entry, "reading it failed " + failures + " times (" + Failures.describe(e) + ")");
        return Collections.emptyList();
      }
      release(entry);
      throw e;
    }
    if (events == null) {
      return Collections.emptyList();
    }
    if (corrupt[0] > 0) {
      // Counted once: the file keeps only the lines that can be sent.
      rewrite(entry.sending(), EventJson.toJsonLines(events));
    } else if (events.isEmpty() && empty) {
      foundEmpty();
    }
    return events;
  }

  /** Replaces {@code file} by {@code content}: on the device under a temporary name first, then renamed over it. */
  private void rewrite(Path file, byte[] content) throws IOException {
    Path temp = Files.createTempFile(directory, OutboxLeftovers.writePrefix(owner), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        disk.write(channel, temp, content);
        force(channel, temp);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      disk.syncDirectory(directory);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Counts a batch file found empty: what a power cut leaves of a batch whose content was not on
   * the device yet (or a kill between creating the open batch and its first write). Its events,
   * at least one (no empty batch is ever written), are lost; how many cannot be known, so the file
   * is counted, not its events.
   */
  private void foundEmpty() {
    counters.outboxFilesEmpty.increment();
    if (emptyLogged.compareAndSet(false, true)) {
      emptyLogger.log(Level.WARNING, "otel-analytics: found an empty batch file in the outbox, which a power cut leaves of a batch"
          + " not yet on the disk; its events are lost (DeliveryStats.outboxFilesEmpty counts such files; this is logged once)");
    }
  }

  /** Renames {@code from} to {@code to}; false when there is no {@code from}. */
  private static boolean moveIfThere(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Why {@code file} cannot be read as a batch, or null when it can; never opens it. */
  private static String unreadableBecause(Path file) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;   // gone meanwhile: nothing to read
    }
    if (attributes.isDirectory()) {
      return "it is a directory";
    }
    if (attributes.isSymbolicLink()) {
      return "it is a symbolic link";
    }
    if (!attributes.isRegularFile()) {
      return "it is not a regular file (a FIFO, socket or device)";
    }
    if (attributes.size() > MAX_READABLE_BYTES) {
      return "it is larger than any batch (" + attributes.size() + " bytes)";
    }
    return null;
  }

  /** Renames a claimed file that cannot be read as a batch out of the way, counts and logs it. */
  private void setAside(Entry entry, String why) {
    long size = sizeOf(entry.sending());
    if (!setAside(entry.sending(), why)) {
      return;   // stays claimed: never tried again in this run
    }
    synchronized (this) {
      knownBytes -= size;
      claimed.remove(entry);
      readFailures.remove(entry);
    }
  }

  /** Renames {@code file} out of the way, counts and logs it; false when it could not be renamed. */
  private boolean setAside(Path file, String why) {
    Path aside = directory.resolve(SET_ASIDE_PREFIX + file.getFileName());
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false;   // another process set it aside first
    } catch (IOException e) {
      logger.log(Level.WARNING, "otel-analytics: outbox file " + LogText.path(file) + " cannot be read (" + why
          + ") nor set aside (" + Failures.describe(e) + "); skipping it in this run");
      return false;
    }
    counters.outboxFilesSetAside.increment();
    logger.log(Level.WARNING, "otel-analytics: set aside outbox file " + LogText.path(aside) + ": " + why
        + "; it is not sent, and not counted in OTEL_ANALYTICS_OUTBOX_MAX_SIZE");
    return true;
  }

  @Override
  public void release(Batch batch) throws IOException {
    Entry entry = (Entry) batch;
    synchronized (this) {
      claimed.remove(entry);
    }
    try {
      Files.move(entry.sending(), entry.file, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      // Cleared meanwhile.
    }
  }

  /** The events of {@code file}, or null when it does not exist. */
  private List<AnalyticsEvent> readFile(Path file) throws IOException {
    return readFile(file, new int[1]);
  }

  /** The events of {@code file}, or null when it does not exist; adds the corrupt lines skipped to {@code corrupt[0]}. */
  private List<AnalyticsEvent> readFile(Path file, int[] corrupt) throws IOException {
    byte[] bytes;
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        InputStream in = Channels.newInputStream(channel)) {
      bytes = readAll(in);
    } catch (NoSuchFileException e) {
      return null;
    }
    Entry entry = new Entry(file);
    List<AnalyticsEvent> events = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start) {
          AnalyticsEvent event = decodeLine(bytes, start, i - start);
          if (event == null) {
            corrupt[0]++;
            counters.droppedCorrupt.increment();
            logger.log(Level.WARNING, "otel-analytics: skipped a corrupt line in outbox file " + LogText.path(entry.file));
          } else {
            events.add(event);
          }
        }
        start = i + 1;
      }
    }
    return events;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** One line, decoded strictly: invalid UTF-8 makes the line corrupt, not the file unreadable. */
  private static AnalyticsEvent decodeLine(byte[] bytes, int offset, int length) {
    if (!isAscii(bytes, offset, length)) {
      try {
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, offset, length));
      } catch (CharacterCodingException e) {
        return null;
      }
    }
    return EventJson.parse(bytes, offset, length);
  }

  /** Most lines are plain ASCII, which is valid UTF-8 as it stands. */
  private static boolean isAscii(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The destination has the batch: forget it. */
  @Override
  public void acknowledge(Batch batch) throws IOException {
    Entry entry = (Entry) batch;
    long size = sizeOf(entry.sending()) + sizeOf(entry.file);
    boolean deleted = Files.deleteIfExists(entry.sending()) | Files.deleteIfExists(entry.file);
    synchronized (this) {
      claimed.remove(entry);
      readFailures.remove(entry);
      if (deleted) {
        knownBytes -= size;
      }
    }
  }

  /** Replaces {@code batch} by one batch per part (after a "too large" answer). */
  @Override
  public synchronized List<Entry> split(Batch batch, List<List<AnalyticsEvent>> parts) throws IOException {
    checkOpen();
    // The parts hold exactly the batch's events: they need no room that deleting it will not give back.
    List<Entry> written = new ArrayList<>();
    try {
      for (List<AnalyticsEvent> part : parts) {
        written.add(write(part, false));
      }
    } catch (IOException | RuntimeException e) {
      // All parts or none: the batch stays as it was.
      for (Entry part : written) {
        knownBytes -= sizeOf(part.file);
        Files.deleteIfExists(part.file);
      }
      throw e;
    }
    acknowledge(batch);
    return written;
  }

  @Override
  /** Bytes of every owner's batch files, as last seen (at most a second old for other processes' files). */
  public synchronized long size() {
    if (lastScanNanos == 0) {
      try {
        scan();
      } catch (IOException e) {
        return -1;
      }
    }
    return knownBytes;
  }

  @Override
  public boolean durable() {
    return true;
  }

  /**
   * Takes over the batches of processes that are no longer running.
   *
   * @return how many batch files were taken over
   */
  @Override
  public synchronized int takeOverOrphans() throws IOException {
    int taken = 0;
    // Each other owner is looked at once a pass; every lock file is, so that a dead owner's goes
    // whether or not it left batches.
    Map<String, Boolean> running = new HashMap<>();
    Predicate<String> ended = other -> !other.equals(owner)
        && !running.computeIfAbsent(other, o -> OwnerLock.isAlive(directory, o));
    for (String other : OwnerLock.owners(directory)) {
      ended.test(other);
    }
    OwnerLock.lookAgainAtGone(directory);
    List<Path> unnamed = new ArrayList<>();
    for (Path file : batchFiles(directory, unnamed)) {
      BatchName name = BatchName.of(file);
      stamps.saw(name.stamp);
      if (!ended.test(name.owner)) {
        continue;
      }
      // A fresh name of ours (same stamp, so the age order holds): renaming onto an existing
      // name would silently replace that file on POSIX systems.
      Path claimed = nameFor(BatchStamps.within(name.stamp));
      try {
        Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
        taken++;
      } catch (NoSuchFileException | FileAlreadyExistsException e) {
        // Another process took it first.
      }
    }
    for (Path file : unnamed) {
      setAside(file, "its name is not that of a batch of any version");
    }
    OutboxLeftovers.remove(directory, ended, running.containsValue(true), this::finishDrop);
    return taken;
  }

  /** Counts the events of a batch a dead owner was dropping to make room, and deletes it; once, whoever else looks. */
  private void finishDrop(Path file) {
    Path mine = directory.resolve(OutboxLeftovers.dropName(owner, sequence++));
    try {
      Files.move(file, mine, StandardCopyOption.ATOMIC_MOVE);
      long events = countLines(mine);
      Files.deleteIfExists(mine);
      counters.droppedOutboxFull.add(events);
    } catch (IOException e) {
      // Another process took it first, or it stays for the next look.
    }
  }

  /** Bytes of all batch files, of every owner. */
  public synchronized long sizeBytes() throws IOException {
    long total = 0;
    for (Path file : batchFiles()) {
      total += sizeOf(file);
    }
    return total;
  }

  public Path directory() {
    return directory;
  }

  /** A name for a batch made now. */
  private Path newName() throws IOException {
    if (lastScanNanos == 0) {
      scan();   // the stamps already in the outbox, before the first name
    }
    return nameFor(stamps.next());
  }

  private Path nameFor(long stamp) {
    return directory.resolve(BatchName.waiting(stamp, sequence++, owner));
  }

  /**
   * Releases the lock, which lets another run take these batches over; an open batch file stays
   * as it is, for the next run to take over and send. Never waits: not for the lock of a write
   * that hangs (a hung file system), whose channel it closes under it. Every write after this fails.
   */
  @Override
  public void close() {
    closed = true;
    recent.clear();
    FileChannel open = openChannel;
    if (open != null) {
      try {
        open.close();
      } catch (IOException e) {
        // The next run takes the file over as it is.
      }
    }
    ownerLock.close();
  }

  /** Looks at the directory: the size of every owner's batch files, and the waiting ones, oldest first. */
  private void scan() throws IOException {
    List<Path> files = batchFiles();
    long total = 0;
    dropCandidates.clear();
    for (Path file : files) {
      stamps.saw(BatchName.of(file).stamp);
      total += sizeOf(file);
      if (file.getFileName().toString().endsWith(WAITING)) {
        dropCandidates.add(file);
      }
    }
    knownBytes = total;
    lastScanNanos = System.nanoTime();
  }

  private boolean scannedWithin(long nanos) {
    return lastScanNanos != 0 && System.nanoTime() - lastScanNanos < nanos;
  }

  /**
   * Drops the oldest waiting batches, of any owner, until {@code bytes} more fit under the bound.
   * Cheap while the outbox is below the bound: it looks at the directory at most once a second
   * (for other processes' files), else counts this process's own writes and deletions.
   */
  private void makeRoomFor(long bytes) throws IOException {
    if (!scannedWithin(RESCAN_EVERY_NANOS)) {
      scan();
    }
    if (knownBytes + bytes <= maxBytes) {
      return;
    }
    if (!scannedWithin(RESCAN_BEFORE_DROP_NANOS)) {
      scan();   // others may have sent batches since
    }
    long dropped = 0;
    boolean rescanned = false;
    while (knownBytes + bytes > maxBytes) {
      Path oldest = dropCandidates.poll();
      if (oldest == null) {
        if (rescanned) {
          break;   // only batches being sent or still open are left: they are never dropped
        }
        scan();
        rescanned = true;
        continue;
      }
      if (!Files.isRegularFile(oldest, LinkOption.NOFOLLOW_LINKS)) {
        continue;   // gone, or not a batch: its sender sets it aside
      }
      long size = sizeOf(oldest);
      // Renamed first: only one process (or sender) gets it, so its events are counted once.
      Path mine = directory.resolve(OutboxLeftovers.dropName(owner, sequence++));
      try {
        Files.move(oldest, mine, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        continue;   // sent, claimed or dropped by someone else meanwhile
      }
      long events = countLines(mine);
      Files.deleteIfExists(mine);
      recent.take(new Entry(oldest));
      counters.droppedOutboxFull.add(events);
      if (size == 0) {
        foundEmpty();
      }
      dropped += events;
      knownBytes -= size;
    }
    if (dropped > 0) {
      logger.log(Level.WARNING, "otel-analytics: outbox is full (OTEL_ANALYTICS_OUTBOX_MAX_SIZE); dropped the oldest "
          + dropped + " undelivered events");
    }
  }

  /** Batch files of every owner, oldest first. */
  private List<Path> batchFiles() throws IOException {
    return batchFiles(directory);
  }

  /**
   * The batches waiting (or being sent) in the outbox {@code directory}, of every owner, oldest
   * first; reads the directory only (creates nothing, locks nothing). Empty when there is no outbox.
   */
  public static List<Path> batchFiles(Path directory) throws IOException {
    return batchFiles(directory, new ArrayList<>());
  }

  /** As {@link #batchFiles(Path)}; adds the files shaped like batches whose names do not parse to {@code unnamed}. */
  private static List<Path> batchFiles(Path directory, List<Path> unnamed) throws IOException {
    List<BatchName> names = new ArrayList<>();
    Map<BatchName, Path> files = new HashMap<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "b-*")) {
      for (Path file : stream) {
        BatchName name = BatchName.of(file);
        if (name != null) {
          names.add(name);
          files.put(name, file);
        } else if (BatchName.isShapedLikeOne(file)) {
          unnamed.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return new ArrayList<>();
    }
    Collections.sort(names);
    List<Path> sorted = new ArrayList<>(names.size());
    for (BatchName name : names) {
      sorted.add(files.get(name));
    }
    return sorted;
  }

  /** The size of a regular file; 0 for anything else (it is never read, see the class comment). */
  private static long sizeOf(Path file) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.isRegularFile() ? attributes.size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static long countLines(Path file) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      while (reader.readLine() != null) {
        n++;
      }
      return n;
    } catch (IOException e) {
      return 0;
    }
  }
}
