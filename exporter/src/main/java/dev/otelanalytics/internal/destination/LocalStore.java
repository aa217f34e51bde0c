package dev.otelanalytics.internal.destination;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.IsoDate;
import dev.otelanalytics.internal.event.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The local history: the daily JSONL files a {@link FileDestination} writes. Read by the
 * {@code status}, {@code show} and {@code export} commands, trimmed by the retention setting,
 * emptied by {@code clear}. Reading forgives damage: a line that cannot be read is skipped and
 * counted ({@link HistoryLines}), so one bad byte never locks a person out of their data.
 */
public final class LocalStore {
  private final Path directory;

  public LocalStore(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** The daily files that are regular files (links and other kinds of entries are never read), oldest first. */
  public List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path entry : entries()) {
      if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
        files.add(entry);
      }
    }
    return files;
  }

  /**
   * Every entry named like a daily file, whatever it is (a file, a link, a directory), oldest
   * first: what {@code clear} deletes.
   */
  public List<Path> entries() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory,
        FileDestination.FILE_PREFIX + "*" + FileDestination.FILE_SUFFIX)) {
      for (Path file : stream) {
        if (dayOf(file) != null) {
          files.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return files;
    }
    Collections.sort(files);
    return files;
  }

  /**
   * Passes every stored event, oldest first, to {@code sink}; a line that cannot be read is skipped.
   *
   * @return how many lines were skipped
   */
  public long forEach(Consumer<AnalyticsEvent> sink) throws IOException {
    long unreadable = 0;
    for (Path file : files()) {
      unreadable += read(file, sink);
    }
    return unreadable;
  }

  /**
   * The events of one daily file (one that has gone meanwhile holds none).
   *
   * @return how many of its lines were skipped
   */
  public static long read(Path file, Consumer<AnalyticsEvent> sink) throws IOException {
    try {
      return HistoryLines.read(file, sink);
    } catch (NoSuchFileException e) {
      return 0; // purged meanwhile
    }
  }

  /** The last {@code n} stored events, oldest first, with how many there are and how many lines were skipped. */
  public HistoryRead last(int n) throws IOException {
    Deque<AnalyticsEvent> tail = new ArrayDeque<>();
    long[] count = {0};
    long unreadable = forEach(event -> {
      count[0]++;
      if (n > 0) {
        tail.addLast(event);
        if (tail.size() > n) {
          tail.removeFirst();
        }
      }
    });
    return new HistoryRead(new ArrayList<>(tail), count[0], unreadable);
  }

  /** How many events are stored, and how many lines could not be read. */
  public HistoryRead count() throws IOException {
    return last(0);
  }

  /** Deletes the daily files of days before {@code oldestKept}; returns how many were deleted. */
  public int purgeBefore(LocalDate oldestKept) throws IOException {
    int deleted = 0;
    for (Path file : entries()) {
      LocalDate day = dayOf(file);
      try {
        if (day != null && day.isBefore(oldestKept) && Files.deleteIfExists(file)) {
          deleted++;
        }
      } catch (IOException e) {
        // not a file (a directory that is not empty): left for clear to report
      }
    }
    return deleted;
  }

  private static LocalDate dayOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(FileDestination.FILE_PREFIX) || !name.endsWith(FileDestination.FILE_SUFFIX)) {
      return null;
    }
    return IsoDate.parse(name.substring(FileDestination.FILE_PREFIX.length(), name.length() - FileDestination.FILE_SUFFIX.length()));
  }

  /**
   * Writes every stored event to the new file {@code file} as a JSON array, oldest first (see
   * {@link ExportTarget} for what it refuses). A file left half-written by a failure is deleted.
   *
   * @param stateDirectory the state directory, which {@code file} must not be in
   * @return how many events were written, and how many lines were skipped
   * @throws java.nio.file.FileAlreadyExistsException when {@code file} exists (a link included)
   * @throws IllegalArgumentException when {@code file} is inside {@code stateDirectory}
   */
  public HistoryRead exportTo(Path file, Path stateDirectory) throws IOException {
    OutputStream created = ExportTarget.create(file, stateDirectory);
    long[] count = {0};
    long unreadable;
    boolean done = false;
    try {
      try (Writer out = new BufferedWriter(new OutputStreamWriter(created, StandardCharsets.UTF_8))) {
        out.write("[");
        IOException[] failure = {null};
        unreadable = forEach(event -> {
          if (failure[0] != null) {
            return;
          }
          try {
            out.write(count[0] == 0 ? "\n" : ",\n");
            out.write(new String(EventJson.toJsonLines(Collections.singletonList(event)), StandardCharsets.UTF_8).trim());
            count[0]++;
          } catch (IOException e) {
            failure[0] = e;
          }
        });
        if (failure[0] != null) {
          throw failure[0];
        }
        out.write(count[0] == 0 ? "]\n" : "\n]\n");
      }
      done = true;
    } finally {
      if (!done) {
        deleteQuietly(file);
      }
    }
    return new HistoryRead(Collections.<AnalyticsEvent>emptyList(), count[0], unreadable);
  }

  /** Deletes the half-written export; the failure that cut it short is the one reported. */
  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException | RuntimeException e) {
      // the original failure is thrown
    }
  }
}
