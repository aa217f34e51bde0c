package dev.otelanalytics.internal.destination;

import dev.otelanalytics.destination.DeliveryResult;
import dev.otelanalytics.destination.Destination;
import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.SecureFiles;
import dev.otelanalytics.internal.event.EventJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The local store: scrubbed events appended as JSON Lines to one file a day (UTC), named
 * {@code events-YYYY-MM-DD.jsonl}, in a directory only the owner can read. Nothing leaves the
 * machine. Appends take an exclusive file lock, so processes sharing a state directory never
 * interleave partial lines. A daily file is created exclusively (0600); an existing one, and the
 * directory, are used only when they are the user's own and not a link ({@link SecureFiles}), so a
 * link planted under a predictable name never makes this append to a file of someone's choosing.
 */
public final class FileDestination implements Destination {
  /** File name prefix of the daily files. */
  public static final String FILE_PREFIX = "events-";
  /** File name suffix of the daily files. */
  public static final String FILE_SUFFIX = ".jsonl";

  /** One monitor per daily file, shared by every instance in this JVM; a few entries a day. */
  private static final ConcurrentMap<Path, Object> FILE_MONITORS = new ConcurrentHashMap<>();

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private final Path directory;

  private FileDestination(Path directory) {
    this.directory = directory;
  }

  /** A file destination writing into {@code directory} (created 0700 on first write). */
  public static FileDestination create(Path directory) {
    return new FileDestination(Objects.requireNonNull(directory, "directory"));
  }

  public Path directory() {
    return directory;
  }

  /** The file that holds events of {@code day}. */
  public Path fileFor(LocalDate day) {
    return directory.resolve(FILE_PREFIX + day + FILE_SUFFIX);
  }

  @Override
  public String name() {
    return "file";
  }

  @Override
  public DeliveryResult send(List<AnalyticsEvent> events) throws IOException {
    if (events.isEmpty()) {
      return DeliveryResult.delivered();
    }
    SecureFiles.createDirectories(directory);
    Map<LocalDate, List<AnalyticsEvent>> byDay = new LinkedHashMap<>();
    for (AnalyticsEvent event : events) {
      LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(event.timestampEpochNanos(), NANOS_PER_DAY));
      byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(event);
    }
    if (byDay.size() == 1) {
      // The usual case: the lines the outbox already encoded for these events, when it did.
      append(fileFor(byDay.keySet().iterator().next()), EventJson.toJsonLines(events));
      return DeliveryResult.delivered();
    }
    for (Map.Entry<LocalDate, List<AnalyticsEvent>> day : byDay.entrySet()) {
      append(fileFor(day.getKey()), EventJson.toJsonLines(day.getValue()));
    }
    return DeliveryResult.delivered();
  }

  private static void append(Path file, byte[] lines) throws IOException {
    // A file lock keeps other processes out, but the JVM refuses a second lock on the same
    // file from another thread (OverlappingFileLockException): serialise this JVM's writers first.
    synchronized (monitorFor(file)) {
      try (FileChannel channel = SecureFiles.openForAppend(file);
          FileLock lock = channel.lock()) {
        ByteBuffer buffer = ByteBuffer.wrap(lines);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    }
  }

  private static Object monitorFor(Path file) {
    return FILE_MONITORS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Object());
  }

  @Override
  public String toString() {
    return "FileDestination{" + directory + "}";
  }
}
