package dev.otelanalytics.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelanalytics.event.AnalyticsEvent;
import dev.otelanalytics.internal.event.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch names and their order do not depend on the wall clock being right (issue 17, fault 5): a
 * clock before 1970 or far in the future still makes batches that are sent, counted and cleared,
 * and after the clock jumps back the size bound still drops the oldest batches first. Names of
 * every shape an earlier version wrote are read; a file shaped like a batch whose name cannot be
 * read is set aside, never left where nothing sends, counts or clears it.
 */
class OutboxClockTest {
  private static final long BIG = 100L * 1024 * 1024;
  private static final long NOV_2026 = 1_795_000_000_000L;
  private static final String DEAD = "00000000deadbeef";

  @TempDir Path dir;

  private final AtomicLong clock = new AtomicLong(NOV_2026);
  private final DeliveryCounters counters = new DeliveryCounters();
  private final List<Outbox> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Outbox::close);
  }

  private Outbox open(long maxBytes) throws IOException {
    Outbox outbox = Outbox.open(dir, maxBytes, counters, Outbox.Disk.REAL, clock::get);
    opened.add(outbox);
    return outbox;
  }

  private static List<AnalyticsEvent> batch(String name, int n) {
    List<AnalyticsEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(AnalyticsEvent.create(name, "install-1", 1L, UUID.randomUUID().toString(), Map.of("pad", "x".repeat(500))));
    }
    return out;
  }

  private static List<String> namesOf(List<AnalyticsEvent> events) {
    return events.stream().map(AnalyticsEvent::name).distinct().collect(Collectors.toList());
  }

  private static List<String> sent(Outbox outbox) throws IOException {
    List<String> out = new ArrayList<>();
    for (Outbox.Entry entry : outbox.pending()) {
      List<AnalyticsEvent> events = outbox.claim(entry);
      out.addAll(namesOf(events));
      outbox.acknowledge(entry);
    }
    return out;
  }

  @Test
  void aClockBefore1970OrFarInTheFutureStillMakesBatchesThatAreSentCountedAndCleared() throws IOException {
    for (long wrong : new long[] {-86_400_000L, -1L, 32_503_680_000_000L /* year 3000 */, Long.MAX_VALUE, Long.MIN_VALUE}) {
      clock.set(wrong);
      Outbox outbox = open(BIG);
      Outbox.Entry entry = outbox.add(batch("at-" + wrong, 2));

      assertThat(Outbox.batchFiles(dir)).as("listed (what status counts and clear deletes), clock %d", wrong)
          .containsExactly(entry.file);
      assertThat(outbox.size()).as("counted against the bound, clock %d", wrong).isEqualTo(Files.size(entry.file));
      outbox.close();
      Outbox next = open(BIG);
      assertThat(next.takeOverOrphans()).as("taken over by the next run, clock %d", wrong).isEqualTo(1);
      assertThat(sent(next)).as("sent, clock %d", wrong).containsExactly("at-" + wrong);
      assertThat(Outbox.batchFiles(dir)).isEmpty();
      next.close();
    }
  }

  @Test
  void afterTheClockJumpsBackTheBoundStillDropsTheOldestBatchesFirst() throws IOException {
    long oneBatch = EventJson.toJsonLines(batch("probe-0", 2)).length;
    Outbox outbox = open(3 * oneBatch + oneBatch / 2);
    outbox.add(batch("first", 2));
    outbox.add(batch("second", 2));
    clock.addAndGet(-3_600_000L);   // the clock is set back an hour
    outbox.add(batch("third", 2));
    outbox.add(batch("fourth", 2));

    assertThat(counters.droppedOutboxFull.sum()).isEqualTo(2);
    assertThat(sent(outbox)).as("the oldest batch was dropped, and the rest go oldest first")
        .containsExactly("second", "third", "fourth");
  }

  @Test
  void batchesOfAnEarlierRunStayOlderThanThoseMadeAfterTheClockWasSetBack() throws IOException {
    Outbox earlier = open(BIG);
    earlier.add(batch("earlier-run", 1));
    earlier.close();
    clock.addAndGet(-86_400_000L);   // a day back, between the runs

    Outbox later = open(BIG);
    later.add(batch("later-run", 1));
    assertThat(later.takeOverOrphans()).isEqualTo(1);

    assertThat(sent(later)).containsExactly("earlier-run", "later-run");
  }

  @Test
  void namesOfEveryShapeAnEarlierVersionWroteAreTakenOverAndSent() throws IOException {
    Files.createDirectories(dir);
    // String.format("b-%013d-%09d-%s.jsonl") with the clock before 1970, in the year 3000, and a
    // sequence past Integer.MAX_VALUE % 1e9 that went negative.
    Files.write(dir.resolve("b--000086400000-000000000-" + DEAD + ".jsonl"), EventJson.toJsonLines(batch("before-1970", 1)));
    Files.write(dir.resolve("b-32503680000000-000000001-" + DEAD + ".sending"), EventJson.toJsonLines(batch("year-3000", 1)));
    Files.write(dir.resolve("b-1795000000000--00000007-" + DEAD + ".open"), EventJson.toJsonLines(batch("negative-seq", 1)));

    Outbox outbox = open(BIG);
    assertThat(outbox.takeOverOrphans()).isEqualTo(3);

    assertThat(sent(outbox)).containsExactly("before-1970", "negative-seq", "year-3000");
    assertThat(counters.outboxFilesSetAside.sum()).isZero();
  }

  @Test
  void aFileShapedLikeABatchWhoseNameCannotBeReadIsSetAsideAndCounted() throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("b-123-456-zz.jsonl"), "not ours\n");
    Files.writeString(dir.resolve("b-.sending"), "\n");
    Files.writeString(dir.resolve("b-99999999999999999999-0-" + DEAD + ".open"), "\n");   // beyond a long
    Files.writeString(dir.resolve("b-notes.txt"), "a file of someone else\n");
    Files.writeString(dir.resolve("notes.txt"), "a file of someone else\n");

    Outbox outbox = open(BIG);
    outbox.takeOverOrphans();

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("owner-")))
          .containsExactlyInAnyOrder("unreadable-b-123-456-zz.jsonl", "unreadable-b-.sending",
              "unreadable-b-99999999999999999999-0-" + DEAD + ".open", "b-notes.txt", "notes.txt");
    }
    assertThat(counters.outboxFilesSetAside.sum()).isEqualTo(3);
    assertThat(outbox.pending()).isEmpty();
  }
}
