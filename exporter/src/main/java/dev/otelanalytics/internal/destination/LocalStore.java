package dev.otelanalytics.internal.destination;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The local history: the daily JSONL files a {@link FileDestination} writes. Read by the
 * {@code show} and {@code export} commands, trimmed by the retention setting, emptied by
 * {@code clear}.
 */
public final class LocalStore {
  private final Path directory;

  public LocalStore(Path directory) {
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** The daily files, oldest first. */
  public List<Path> files() throws IOException {
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

  /** Passes every stored event, oldest first, to {@code sink}; unreadable lines are skipped. */
  public void forEach(Consumer<AnalyticsEvent> sink) throws IOException {
    for (Path file : files()) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          AnalyticsEvent event = line.trim().isEmpty() ? null : EventJson.parse(line);
          if (event != null) {
            sink.accept(event);
          }
        }
      } catch (NoSuchFileException e) {
        // purged meanwhile
      }
    }
  }

  /** The last {@code n} stored events, oldest first. */
  public List<AnalyticsEvent> last(int n) throws IOException {
    Deque<AnalyticsEvent> tail = new ArrayDeque<>();
    forEach(event -> {
      tail.addLast(event);
      if (tail.size() > n) {
        tail.removeFirst();
      }
    });
    return new ArrayList<>(tail);
  }

  /** How many events are stored. */
  public long count() throws IOException {
    long[] n = {0};
    forEach(event -> n[0]++);
    return n[0];
  }

  /** Deletes the daily files of days before {@code oldestKept}; returns how many were deleted. */
  public int purgeBefore(LocalDate oldestKept) throws IOException {
    int deleted = 0;
    for (Path file : files()) {
      LocalDate day = dayOf(file);
      if (day != null && day.isBefore(oldestKept) && Files.deleteIfExists(file)) {
        deleted++;
      }
    }
    return deleted;
  }

  /** Deletes every daily file. */
  public void clear() throws IOException {
    for (Path file : files()) {
      Files.deleteIfExists(file);
    }
  }

  private static LocalDate dayOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(FileDestination.FILE_PREFIX) || !name.endsWith(FileDestination.FILE_SUFFIX)) {
      return null;
    }
    try {
      return LocalDate.parse(name.substring(FileDestination.FILE_PREFIX.length(), name.length() - FileDestination.FILE_SUFFIX.length()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Writes every stored event to {@code file} as a JSON array, oldest first; returns how many. */
  public long exportTo(Path file) throws IOException {
    long[] count = {0};
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("[");
      IOException[] failure = {null};
      forEach(event -> {
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
    return count[0];
  }
}
