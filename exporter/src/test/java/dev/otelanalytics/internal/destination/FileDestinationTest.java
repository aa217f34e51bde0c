package dev.otelanalytics.internal.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.testing.Events;
import dev.otelanalytics.testing.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationTest {
  @TempDir Path temp;

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static List<String> lines(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).as("the file ends with a complete line").endsWith("\n");
    return List.of(text.substring(0, text.length() - 1).split("\n", -1));
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void writesOneJsonLinePerEventIntoTheFileOfTheDay() throws IOException {
    FileDestination destination = FileDestination.create(temp.resolve("events"));
    AnalyticsEvent a = Events.at("2026-11-23T10:15:30.123Z", "inspect", Map.of("cli.command", "inspect"));
    AnalyticsEvent b = Events.at("2026-11-23T10:16:00Z", "build");

    destination.send(List.of(a, b));

    Path file = temp.resolve("events").resolve("events-2026-11-23.jsonl");
    assertThat(fileNames(temp.resolve("events"))).containsExactly("events-2026-11-23.jsonl");
    assertThat(destination.fileFor(LocalDate.of(2026, 11, 23))).isEqualTo(file);
    List<String> lines = lines(file);
    assertThat(lines).hasSize(2);
    Map<String, Object> first = Json.object(lines.get(0));
    assertThat(first).containsOnlyKeys("event", "distinct_id", "timestamp", "uuid", "properties");
    assertThat(first).containsEntry("event", "inspect")
        .containsEntry("distinct_id", Events.DISTINCT_ID)
        .containsEntry("timestamp", "2026-11-23T10:15:30.123Z")
        .containsEntry("uuid", a.uuid())
        .containsEntry("properties", Map.of("cli.command", "inspect"));
    assertThat(Json.object(lines.get(1))).containsEntry("event", "build").containsEntry("properties", Map.of());
    for (String line : lines) {
      String timestamp = (String) Json.object(line).get("timestamp");
      assertThat(timestamp).endsWith("Z");
      assertThat(Instant.parse(timestamp)).isNotNull();
    }
  }

  @Test
  void eventsOnTwoUtcDaysGoToTwoFiles() throws IOException {
    FileDestination destination = FileDestination.create(temp);
    AnalyticsEvent lastNanosecond = Events.at("2026-11-23T23:59:59.999999999Z", "late");
    AnalyticsEvent midnight = Events.at("2026-11-24T00:00:00Z", "midnight");
    AnalyticsEvent alsoLate = Events.at("2026-11-23T12:00:00Z", "noon");

    destination.send(List.of(lastNanosecond, midnight, alsoLate));

    assertThat(fileNames(temp)).containsExactly("events-2026-11-23.jsonl", "events-2026-11-24.jsonl");
    assertThat(lines(temp.resolve("events-2026-11-23.jsonl"))).extracting(l -> Json.object(l).get("event"))
        .containsExactly("late", "noon");
    assertThat(lines(temp.resolve("events-2026-11-24.jsonl"))).extracting(l -> Json.object(l).get("event"))
        .containsExactly("midnight");
  }

  @Test
  void theDayIsTheUtcDayWhateverTheLocalTimeZone() throws IOException {
    TimeZone original = TimeZone.getDefault();
    try {
      // UTC+14: 2026-11-23T23:30Z is already 24 November locally.
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      FileDestination.create(temp).send(List.of(Events.at("2026-11-23T23:30:00Z", "e")));
      // UTC-11: 2026-11-24T00:30Z is still 23 November locally.
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Pago_Pago"));
      FileDestination.create(temp).send(List.of(Events.at("2026-11-24T00:30:00Z", "f")));
    } finally {
      TimeZone.setDefault(original);
    }

    assertThat(fileNames(temp)).containsExactly("events-2026-11-23.jsonl", "events-2026-11-24.jsonl");
    assertThat(Json.object(lines(temp.resolve("events-2026-11-23.jsonl")).get(0))).containsEntry("event", "e");
    assertThat(Json.object(lines(temp.resolve("events-2026-11-24.jsonl")).get(0))).containsEntry("event", "f");
  }

  @Test
  void appendsAcrossCallsAndInstances() throws IOException {
    FileDestination.create(temp).send(List.of(Events.at("2026-05-01T01:00:00Z", "one")));
    FileDestination destination = FileDestination.create(temp);
    destination.send(List.of(Events.at("2026-05-01T02:00:00Z", "two"), Events.at("2026-05-01T03:00:00Z", "three")));
    destination.send(List.of(Events.at("2026-05-01T04:00:00Z", "four")));

    assertThat(lines(temp.resolve("events-2026-05-01.jsonl"))).extracting(l -> Json.object(l).get("event"))
        .containsExactly("one", "two", "three", "four");
  }

  @Test
  void anEmptyBatchCreatesNothing() throws IOException {
    Path dir = temp.resolve("events");

    FileDestination.create(dir).send(List.of());

    assertThat(dir).doesNotExist();
  }

  @Test
  void fileIs0600AndCreatedDirectoriesAre0700() throws IOException {
    assumeTrue(posix(temp), "POSIX file system");
    Path dir = temp.resolve("state").resolve("events");

    FileDestination.create(dir).send(List.of(Events.at("2026-05-01T01:00:00Z", "one")));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("events-2026-05-01.jsonl"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("state")))).isEqualTo("rwx------");
  }

  @Test
  void propertyTypesRoundTripThroughTheFile() throws IOException {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("string", "text with \"quotes\"\nand a newline");
    props.put("long", 1234567890123L);
    props.put("double", 3.25);
    props.put("boolean", true);
    props.put("list", List.of("a", "b"));
    props.put("longs", List.of(1L, -2L));
    props.put("nan", Double.NaN);

    FileDestination.create(temp).send(List.of(Events.at("2026-05-01T01:00:00Z", "e", props)));

    List<String> lines = lines(temp.resolve("events-2026-05-01.jsonl"));
    assertThat(lines).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) Json.object(lines.get(0)).get("properties");
    assertThat(properties)
        .containsEntry("string", "text with \"quotes\"\nand a newline")
        .containsEntry("long", 1234567890123L)
        .containsEntry("double", 3.25)
        .containsEntry("boolean", true)
        .containsEntry("list", List.of("a", "b"))
        .containsEntry("longs", List.of(1L, -2L))
        .containsEntry("nan", null);
  }

  @Test
  void nameAndToString() {
    FileDestination destination = FileDestination.create(temp);

    assertThat(destination.name()).isEqualTo("file");
    assertThat(destination.printsEvents()).isFalse();
    assertThat(destination.directory()).isEqualTo(temp);
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsAnIOException() throws IOException {
    Path aFile = Files.writeString(temp.resolve("file"), "x");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FileDestination.create(aFile.resolve("events")).send(List.of(Events.at("2026-05-01T01:00:00Z", "e"))))
        .isInstanceOf(IOException.class);
  }

  private static final int THREADS = 8;
  private static final int BATCHES_PER_THREAD = 50;
  private static final int EVENTS_PER_BATCH = 20;
  private static final int TOTAL = THREADS * BATCHES_PER_THREAD * EVENTS_PER_BATCH;
  private static final String PADDING = "x".repeat(2000); // lines larger than a page fragment

  /**
   * Concurrent sends into one file, here and now: every line written is complete and parses,
   * and a batch is either written whole or reported as failed (never half written).
   */
  @Test
  void concurrentSendsIntoTheSameFileWriteOnlyCompleteLines() throws Exception {
    Outcome outcome = concurrentSends(true);

    for (String line : outcome.lines) {
      assertThat(Json.object(line)).containsEntry("properties", Map.of("pad", PADDING));
    }
    assertThat(outcome.lines.size() % EVENTS_PER_BATCH).as("whole batches only").isZero();
    assertThat(outcome.lines.size() + outcome.failures.size() * EVENTS_PER_BATCH).isEqualTo(TOTAL);
  }

  /**
   * Several threads of one JVM, each with its own FileDestination on the same directory (two
   * OtelAnalytics instances sharing a state directory), all writing to the same day's file.
   */
  @Test
  void concurrentSendsFromSeveralThreadsAllSucceed() throws Exception {
    assertAllWritten(concurrentSends(true));
  }

  /** Same as above with one shared FileDestination instance. */
  @Test
  void concurrentSendsThroughOneInstanceAllSucceed() throws Exception {
    assertAllWritten(concurrentSends(false));
  }

  private static void assertAllWritten(Outcome outcome) {
    assertThat(outcome.failures).as("sends that failed").isEmpty();
    assertThat(outcome.lines).hasSize(TOTAL);
    assertThat(outcome.lines.stream().map(l -> (String) Json.object(l).get("event")).distinct().count())
        .isEqualTo((long) TOTAL);
  }

  private record Outcome(List<String> lines, List<Throwable> failures) {}

  private Outcome concurrentSends(boolean instancePerThread) throws Exception {
    FileDestination shared = FileDestination.create(temp);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    try {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          FileDestination destination = instancePerThread ? FileDestination.create(temp) : shared;
          start.await();
          for (int b = 0; b < BATCHES_PER_THREAD; b++) {
            List<AnalyticsEvent> batch = new ArrayList<>();
            for (int e = 0; e < EVENTS_PER_BATCH; e++) {
              batch.add(Events.at("2026-05-01T01:00:00Z", "t" + thread + "-b" + b + "-e" + e, Map.of("pad", PADDING)));
            }
            try {
              destination.send(batch);
            } catch (Throwable failure) {
              failures.add(failure);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Outcome(lines(temp.resolve("events-2026-05-01.jsonl")), new ArrayList<>(failures));
  }
}
